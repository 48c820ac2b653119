import torch
import torch.nn as nn
import timm


class Backbone(nn.Module):
    """Old wrapper, no cast."""

    def __init__(self, name="convnext_tiny"):
        super().__init__()
        self.net = timm.create_model(name, pretrained=True, num_classes=0)

    def forward(self, images):
        return self.net(images)
