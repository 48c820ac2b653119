import timm
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = timm.create_model("regnety_008", pretrained=True, num_classes=0)

    def forward(self, x):
        return self.backbone(x)
