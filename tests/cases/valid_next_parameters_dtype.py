import torch

dino = torch.hub.load("facebookresearch/dinov2", "dinov2_vitg14").cuda().eval()
param_dtype = next(dino.parameters()).dtype
for x in loader:
    x = x.cuda().bfloat16()
    x = x.to(param_dtype)
    with torch.no_grad():
        f = dino(x)
