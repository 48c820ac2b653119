"""Backbone wrappers sharing a base class whose forward calls self.backbone."""
import torch
import torch.nn as nn


class BaseEncoder(nn.Module):
    out_dim = 0

    def forward(self, x):
        feats = self.backbone(x)
        return nn.functional.normalize(feats, dim=-1)


class DinoEncoder(BaseEncoder):
    def __init__(self, name="dinov2_vits14"):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", name)
        self.out_dim = self.backbone.embed_dim


enc = DinoEncoder().cuda().eval()
x = torch.rand(2, 3, 28, 28, device="cuda").to(torch.bfloat16)
with torch.no_grad():
    print(enc(x).shape)
