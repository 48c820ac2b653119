import os

import torch
import torch.nn as nn
from torchvision.models import resnet101, ResNet101_Weights

USE_BF16 = os.getenv("USE_BF16", "0") == "1"
DEVICE = "cuda"


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        net = resnet101(weights=ResNet101_Weights.IMAGENET1K_V2)
        net.fc = nn.Identity()
        self.net = net

    def forward(self, images):
        return nn.functional.normalize(self.net(images), dim=-1)


def load_batch():
    x = torch.rand(2, 3, 32, 32)
    return x.to(DEVICE, dtype=torch.bfloat16 if USE_BF16 else torch.float32)


if __name__ == "__main__":
    emb = Embedder().to(DEVICE).eval()
    with torch.no_grad():
        z = emb(load_batch())
    print(z.shape, z.dtype)
