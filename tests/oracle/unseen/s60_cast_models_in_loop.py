"""Ensemble of two backbones cast to bf16 in a loop before scoring bf16 images (negative)."""
import torch
import timm

names = ["resnet18", "convnext_tiny"]
models = [timm.create_model(n, pretrained=True).cuda().eval() for n in names]
for m in models:
    m.to(torch.bfloat16)

x = torch.rand(2, 3, 32, 32, device="cuda", dtype=torch.bfloat16)
with torch.no_grad():
    probs = torch.stack([m(x).float().softmax(-1) for m in models]).mean(0)
print(probs.argmax(-1))
