"""Eval script whose bf16 path is opt-in through a string option (negative at the default)."""
import argparse

import torch
from torchvision import models

ap = argparse.ArgumentParser()
ap.add_argument("--precision", type=str, default="fp32", choices=["fp32", "bf16"])
ap.add_argument("--arch", type=str, default="resnet18")
args = ap.parse_args()

net = getattr(models, args.arch)(weights="DEFAULT").cuda().eval()
loader = [(torch.rand(2, 3, 32, 32), torch.tensor([1, 2])) for _ in range(2)]

top1 = 0
for images, target in loader:
    images = images.cuda(non_blocking=True)
    if args.precision == "bf16":
        images = images.to(torch.bfloat16)
    with torch.no_grad():
        top1 += (net(images).argmax(1).cpu() == target).sum().item()
print("top1", top1)
