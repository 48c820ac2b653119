import copy

import timm
import torch

model = timm.create_model("resnet50", pretrained=True).cuda()
ema = copy.deepcopy(model).eval()
for x, y in val_loader:
    x = x.cuda().to(torch.bfloat16)
    with torch.no_grad():
        out = ema(x)  # expect: BFD001
