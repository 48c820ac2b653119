import timm
import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = timm.create_model("convnext_tiny", pretrained=True, num_classes=10)

    def forward(self, x):
        return self.backbone(x)
