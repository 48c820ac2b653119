import torch
from torch import nn


class Base(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")


class Probe(Base):
    def __init__(self, n):
        super().__init__()
        self.head = nn.Linear(384, n)

    def forward(self, x):
        return self.head(self.backbone(x))


m = Probe(5).cuda()
x = torch.load("x.pt").cuda().bfloat16()
m(x)  # expect: BFD001
