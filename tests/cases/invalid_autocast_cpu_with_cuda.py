import torch
import timm

model = timm.create_model("resnet50", pretrained=True).to("cuda")
x = x.to("cuda", dtype=torch.bfloat16)
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):  # expect: BFD003
    y = model(x)  # expect: BFD001
