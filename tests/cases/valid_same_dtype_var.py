import argparse
import timm
import torch

p = argparse.ArgumentParser()
p.add_argument("--dtype", default="bfloat16")
args = p.parse_args()
dtype = getattr(torch, args.dtype)

model = timm.create_model("vit_base_patch14_dinov2.lvd142m", pretrained=True)
model = model.to("cuda", dtype=dtype).eval()
for x, _ in loader:
    x = x.to("cuda", dtype=dtype)
    with torch.no_grad():
        y = model(x)
