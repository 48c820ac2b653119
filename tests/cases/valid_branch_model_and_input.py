import argparse
import torch
from torchvision import models

ap = argparse.ArgumentParser()
ap.add_argument("--bf16", action="store_true")
args = ap.parse_args()

model = models.vit_b_16(weights=models.ViT_B_16_Weights.IMAGENET1K_V1).cuda()
if args.bf16:
    model = model.to(torch.bfloat16)

for x, y in loader:
    x = x.cuda()
    if args.bf16:
        x = x.to(torch.bfloat16)
    out = model(x)
