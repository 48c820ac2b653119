"""Inference CLI: device picked at run time, bf16 autocast on by default."""
import argparse

import torch
import timm

p = argparse.ArgumentParser()
p.add_argument("--arch", default="vit_base_patch14_dinov2.lvd142m")
p.add_argument("--amp", type=int, default=1)
args = p.parse_args()

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = timm.create_model(args.arch, pretrained=True, num_classes=0).to(device).eval()

x = torch.rand(2, 3, 28, 28, device=device).to(torch.bfloat16)
with torch.no_grad(), torch.amp.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=bool(args.amp)):
    emb = model(x)
print(emb.shape)
