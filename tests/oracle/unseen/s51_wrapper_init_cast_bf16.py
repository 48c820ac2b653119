"""Wrapper that loads its backbone straight in bf16 (negative: model and input match)."""
import torch
import torch.nn as nn
from torchvision.models import regnet_y_800mf, RegNet_Y_800MF_Weights


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = regnet_y_800mf(weights=RegNet_Y_800MF_Weights.DEFAULT).to(torch.bfloat16)

    def forward(self, x):
        return self.body(x)


model = Backbone().cuda().eval()
x = torch.rand(2, 3, 32, 32).cuda().bfloat16()
with torch.no_grad():
    print(model(x).dtype)
