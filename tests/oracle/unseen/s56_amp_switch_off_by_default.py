"""bf16 images always; autocast only with --amp (off unless asked)."""
import argparse

import torch
import timm

parser = argparse.ArgumentParser()
parser.add_argument("--amp", action="store_true")
args = parser.parse_args()

model = timm.create_model("resnet101", pretrained=True).cuda().eval()
x = torch.rand(2, 3, 32, 32, device="cuda").bfloat16()
with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=args.amp):
    out = model(x)
print(out.shape)
