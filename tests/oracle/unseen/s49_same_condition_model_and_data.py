"""Model and data follow one dtype switch (negative)."""
import os

import torch
import timm

dtype = torch.bfloat16 if os.environ.get("PRECISION", "bf16") == "bf16" else torch.float32

model = timm.create_model("convnext_tiny", pretrained=True).cuda().eval()
if dtype == torch.bfloat16:
    model = model.to(dtype)

x = torch.rand(2, 3, 32, 32, device="cuda")
if dtype == torch.bfloat16:
    x = x.to(dtype)

with torch.no_grad():
    print(model(x).float().softmax(-1).max().item())
