import torch
import timm

torch.set_default_dtype(torch.bfloat16)
model = timm.create_model("resnet50", pretrained=True).cuda()
x = torch.randn(8, 3, 224, 224, device="cuda", dtype=torch.bfloat16)
y = model(x)
