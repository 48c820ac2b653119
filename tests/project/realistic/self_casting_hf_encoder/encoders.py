import torch.nn as nn
from transformers import AutoModel


class DinoEncoder(nn.Module):
    def __init__(self, checkpoint="facebook/dinov2-small"):
        super().__init__()
        self.model = AutoModel.from_pretrained(checkpoint)

    def forward(self, pixel_values):
        return self.model(pixel_values=pixel_values).pooler_output
