import torch
import timm

use_bf16 = True
dtype = torch.bfloat16 if use_bf16 else torch.float32
model = timm.create_model("vit_base_patch16_224", pretrained=True).cuda()
for x, _ in loader:
    x = x.float()
    x = x.cuda().to(dtype)
    out = model(x)  # expect: BFD001
