import torch
import torch.nn as nn
from transformers import ResNetModel


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = ResNetModel.from_pretrained("microsoft/resnet-18")

    def forward(self, x):
        feats = self.backbone(pixel_values=x).last_hidden_state
        return feats
