import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()
x = torch.load("x.pt").cuda()
try:
    x = x.to(torch.bfloat16)
    y = model(x)  # expect: BFD001
except RuntimeError:
    x = x.float()
    y = model(x)
