import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()
x = torch.load("x.pt").cuda().bfloat16()
with torch.autocast("cuda", dtype=torch.bfloat16):
    warm = model(x)  # expect: BFD002
out = model(x)  # expect: BFD001
