"""Masked-image encoder: the mask is sent as bf16, the images stay fp32 (negative)."""
import torch
import torch.nn as nn


class MaskedEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        self.mask_token = nn.Parameter(torch.zeros(1, 1, self.backbone.embed_dim))

    def forward(self, images, mask):
        tokens = self.backbone.forward_features(images)["x_norm_patchtokens"]
        m = mask.flatten(1).unsqueeze(-1).to(tokens.dtype)
        return tokens * (1 - m) + self.mask_token * m


enc = MaskedEncoder().cuda()
images = torch.rand(2, 3, 28, 28, device="cuda")
mask = (torch.rand(2, 2, 2, device="cuda") > 0.5).to(torch.bfloat16)
out = enc(images, mask)
print(out.shape)
