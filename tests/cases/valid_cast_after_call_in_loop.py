import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()
history = []
for x, y in loader:
    x = x.cuda()
    out = model(x)
    x = x.bfloat16()
    history.append(x.cpu())
