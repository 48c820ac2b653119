import torch
import timm
from mynets import SmallNet

model = timm.create_model("resnet50", pretrained=True)
model = SmallNet(num_classes=10).cuda()
x = torch.load("x.pt").cuda().to(torch.bfloat16)
out = model(x)
