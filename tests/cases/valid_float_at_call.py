import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()
for x, _ in loader:
    x = x.cuda().to(torch.bfloat16)
    a = model(x.float())
    b = model(x.to(dtype=torch.float32))
    c = model(x.type(torch.float32))
