import torch
from torch import bfloat16
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()
BF16 = torch.bfloat16
to_kwargs = dict(device="cuda", dtype=torch.bfloat16)


class Cfg:
    dtype = torch.bfloat16


for x, _ in loader:
    a = x.to(bfloat16)
    model(a)  # expect: BFD001
    b = x.to(BF16)
    model(b)  # expect: BFD001
    c = x.to(**to_kwargs)
    model(c)  # expect: BFD001
    d = x.to(Cfg.dtype)
    model(d)  # expect: BFD001
