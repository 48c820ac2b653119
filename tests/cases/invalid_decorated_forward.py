# A forward decorated with autocast protects the call: it still relies on it (BFD002).
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")

    @torch.autocast("cuda", dtype=torch.bfloat16)
    def forward(self, x):
        return self.backbone(x)


model = Head().cuda()
x = torch.randn(2, 3, 224, 224).cuda().to(torch.bfloat16)
y = model(x)  # expect: BFD002
