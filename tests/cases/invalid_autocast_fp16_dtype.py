import torch
import timm

device = torch.device("cuda")
model = timm.create_model("resnet50", pretrained=True).to(device)
x = x.to(device, dtype=torch.bfloat16)
with torch.autocast(device_type=device.type, dtype=torch.float16):
    y = model(x)  # expect: BFD002
