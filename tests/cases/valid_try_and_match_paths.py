# Every path out of the try or the match casts back (or ends): quiet.
import sys

import timm
import torch

model = timm.create_model("resnet50", pretrained=True).cuda()
x = torch.load("x.pt").cuda().bfloat16()
try:
    y = x.float()
except RuntimeError:
    sys.exit("no memory")
model(y)


def by_mode(mode, t):
    match mode:
        case "low":
            t = t.bfloat16().float()
        case _:
            t = t.float()
    return model(t)
