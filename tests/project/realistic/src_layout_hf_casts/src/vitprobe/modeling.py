import torch
import torch.nn as nn
from transformers import AutoModel


class LinearProbe(nn.Module):
    def __init__(self, checkpoint="facebook/convnext-tiny-224", num_labels=3):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(checkpoint)
        self.encoder.requires_grad_(False)
        self.classifier = nn.Linear(self.encoder.config.hidden_sizes[-1], num_labels)

    def forward(self, pixel_values):
        pixel_values = pixel_values.to(torch.float32)
        outputs = self.encoder(pixel_values=pixel_values)
        return self.classifier(outputs.pooler_output.float())
