import torch
import torch.nn as nn
from transformers import Dinov2Model


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Dinov2Model.from_pretrained("facebook/dinov2-base")

    def forward(self, x):
        feats = self.backbone(pixel_values=x).last_hidden_state
        return feats
