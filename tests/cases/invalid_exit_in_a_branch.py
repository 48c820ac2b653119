# sys.exit() or raise under a condition ends only that path: the other one goes on.
import sys

import torch

model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
x = torch.load("batch.pt").cuda().bfloat16()
if len(sys.argv) < 2:
    sys.exit("usage: embed.py DIR")
if not torch.cuda.is_available():
    raise RuntimeError("needs a GPU")
out = model(x)  # expect: BFD001
