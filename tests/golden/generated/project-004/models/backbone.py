import torch
import torch.nn as nn


class DinoClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vitl14")

    def forward(self, x):
        feats = self.backbone(x)
        return feats
