"""Reconstruct images from a bf16 decoder output and score them with a frozen perceptual net
(negative: un-normalizing with fp32 stats promotes the batch to float32)."""
import torch
import torch.nn as nn
from torchvision import models

device = "cuda"
mean = torch.tensor([0.485, 0.456, 0.406], device=device)[:, None, None]
std = torch.tensor([0.229, 0.224, 0.225], device=device)[:, None, None]


class TinyDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 3 * 32 * 32), nn.Tanh())

    def forward(self, z):
        return self.net(z).view(-1, 3, 32, 32)


decoder = TinyDecoder().to(device).to(torch.bfloat16)
vgg = models.vgg16(weights=models.VGG16_Weights.IMAGENET1K_V1).features.to(device).eval()
for p in vgg.parameters():
    p.requires_grad_(False)

z = torch.randn(2, 8, device=device, dtype=torch.bfloat16)
recon = decoder(z)
recon = recon * std + mean
target = torch.rand(2, 3, 32, 32, device=device)
loss = nn.functional.mse_loss(vgg(recon), vgg(target))
print(loss.item())
