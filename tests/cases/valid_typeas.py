import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()
w = model.conv1.weight
for x, y in loader:
    x = x.cuda().to(torch.bfloat16)
    out = model(x.type_as(w))
