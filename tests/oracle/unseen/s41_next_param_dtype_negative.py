"""Embedding service that follows whatever dtype the checkpoint was saved in (negative)."""
import torch
from torchvision import models


class Service:
    def __init__(self):
        self.model = models.efficientnet_b3(weights=models.EfficientNet_B3_Weights.DEFAULT).cuda().eval()
        self.model_dtype = next(self.model.parameters()).dtype

    @torch.no_grad()
    def embed(self, frames):
        frames = frames.cuda(non_blocking=True).to(dtype=self.model_dtype)
        return self.model(frames)


svc = Service()
frames = torch.rand(2, 3, 32, 32, dtype=torch.bfloat16)
print(svc.embed(frames).shape)
