import argparse

import torch
import torch.nn as nn
from PIL import Image
from transformers import AutoImageProcessor, ConvNextModel


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = ConvNextModel.from_pretrained("facebook/convnext-tiny-224")

    def forward(self, x):
        return self.backbone(pixel_values=x).pooler_output


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
parser = argparse.ArgumentParser(description="feature extraction")
parser.add_argument("--bf16-cache", action="store_true", help="run in bfloat16")
parser.add_argument("--batch-size", type=int, default=4)
opts = parser.parse_args()

processor = AutoImageProcessor.from_pretrained("facebook/convnext-tiny-224")
photos = [Image.open("cat.jpg").convert("RGB") for _ in range(2)]

backbone = Backbone()
backbone = backbone.to(device).eval()
optimizer = torch.optim.AdamW(backbone.parameters(), lr=3e-4)

backbone.train()
for step in range(2):
    inputs = processor(images=photos, return_tensors="pt").to(device, torch.bfloat16)
    x = inputs["pixel_values"]
    if torch.is_floating_point(x):
        x = x.float()
    outputs = backbone(x)
    loss = outputs.float().pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
