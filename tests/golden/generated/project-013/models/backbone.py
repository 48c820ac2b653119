import torch
import torch.nn as nn
from transformers import AutoModel


class FeatureExtractor(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = AutoModel.from_pretrained("google/vit-base-patch16-224")

    def forward(self, x):
        feats = self.backbone(pixel_values=x).pooler_output
        return feats
