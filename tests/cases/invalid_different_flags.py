# Two different flags are two facts: bf16 under one, a cast back under the other, leaves a
# path (first on, second off) where bf16 reaches the backbone. The message names it.
import argparse

import torch

ap = argparse.ArgumentParser()
ap.add_argument("--bf16-cache", action="store_true")
ap.add_argument("--upcast", action="store_true")
opts = ap.parse_args()
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14").cuda()
pool = torch.load("pool.pt")
if opts.bf16_cache:
    pool = pool.to(torch.bfloat16)
for x in pool.split(64):
    x = x.cuda()
    if opts.upcast:
        x = x.float()
    if opts.bf16_cache:
        print("cached in bf16")
    model(x)  # expect: BFD001


def embed(images, compact):
    net = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
    if not compact:
        images = images.bfloat16()
    if compact:
        images = images.float()
    return net(images)  # expect: BFD001
