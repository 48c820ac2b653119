import torch
import torch.nn as nn
import timm


class Backbone(nn.Module):
    """Casts its input: safe with bf16 data."""

    def __init__(self, name="convnext_tiny"):
        super().__init__()
        self.net = timm.create_model(name, pretrained=True, num_classes=0)

    def forward(self, images):
        images = images.float()
        return self.net(images)
