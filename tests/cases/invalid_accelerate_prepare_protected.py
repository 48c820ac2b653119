import timm
import torch
from accelerate import Accelerator

accelerator = Accelerator(mixed_precision="bf16")
model = timm.create_model("resnet50", pretrained=True)
model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
for x, y in loader:
    x = x.to(torch.bfloat16)
    out = model(x)  # expect: BFD002
