import timm
import torch
from torch import nn


class PatchEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embedding = timm.create_model("vit_small_patch16_224", pretrained=True, num_classes=0)
        self.proj = nn.Linear(384, 256)

    def forward(self, x_enc):
        feats = self.patch_embedding(x_enc.to(torch.bfloat16))  # expect: BFD001
        return self.proj(feats.float())


enc = PatchEncoder().cuda()
out = enc(torch.randn(2, 3, 224, 224, device="cuda"))
