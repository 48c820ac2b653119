import torch
import torch.nn as nn
from transformers import AutoModel


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = AutoModel.from_pretrained("google/vit-base-patch16-224")

    def forward(self, x):
        return self.backbone(x).last_hidden_state
