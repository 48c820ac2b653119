import torch
from torch import nn


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = None
        self.fc = nn.Linear(768, 2)

    def forward(self, x):
        return self.fc(self.backbone(x))


net = Head()
net.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14")
x = torch.load("x.pt").to(torch.bfloat16)
net(x)  # expect: BFD001
