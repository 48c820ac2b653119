# A top-level raise, sys.exit() or `assert False` (a notebook cell that stops "Run All")
# ends the path: what follows never runs, and the file is still analysed, not failed.
import sys

import torch

model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
x = torch.load("batch.pt").cuda().bfloat16()
print(model(x.float()))
raise SystemExit("stop here: the cells below are scratch")
model(x)
assert False, "unreachable"
sys.exit(0)
