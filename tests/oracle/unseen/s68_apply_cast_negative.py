"""Casting every submodule with Module.apply before bf16 inference (negative)."""
import torch
import torch.nn as nn
from torchvision.models import resnet18


def to_bf16(m):
    if isinstance(m, (nn.Conv2d, nn.Linear, nn.BatchNorm2d)):
        m.to(torch.bfloat16)


model = resnet18(weights="DEFAULT").cuda().eval()
model.apply(to_bf16)
x = torch.rand(2, 3, 32, 32, device="cuda").bfloat16()
with torch.no_grad():
    print(model(x).dtype)
