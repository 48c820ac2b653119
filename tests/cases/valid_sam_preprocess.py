import numpy as np
import torch
from segment_anything import sam_model_registry

device = "cuda"
sam = sam_model_registry["vit_b"](checkpoint="sam_vit_b_01ec64.pth").to(device)

img = np.zeros((1024, 1024, 3), dtype=np.uint8)
image = torch.as_tensor(img, device=device, dtype=torch.bfloat16).permute(2, 0, 1)[None]
with torch.no_grad():
    # sam.preprocess normalises with fp32 pixel_mean/pixel_std buffers of shape (3,1,1): fp32 out
    emb = sam.image_encoder(sam.preprocess(image))
