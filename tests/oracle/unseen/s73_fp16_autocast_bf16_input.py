"""fp16 autocast around bf16 inputs: autocast casts conv inputs to fp16, so it runs."""
import torch
from segment_anything import sam_model_registry

sam = sam_model_registry["vit_h"](checkpoint=None).cuda().eval()
x = torch.rand(1, 3, 64, 64, device="cuda").to(torch.bfloat16)
with torch.inference_mode(), torch.autocast(device_type="cuda", dtype=torch.float16):
    emb = sam.image_encoder(x)
print(emb.shape, emb.dtype)
