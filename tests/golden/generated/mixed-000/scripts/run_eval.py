"""Evaluate on the validation split."""
from types import SimpleNamespace

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


def extract_features(backbone, dl):
    with torch.inference_mode():
        for images, y in dl:
            images, y = images.cuda(non_blocking=True), y.to(dev, non_blocking=True)
            images = images.to(dtype=cast_dtype)
            images = images.to(next(backbone.parameters()).dtype)
            emb = backbone(images)
            print(emb.shape)


dev = "cuda"
cfg = SimpleNamespace(training=SimpleNamespace(use_bf16=True, lr=1e-4))
cast_dtype = torch.bfloat16 if cfg.training.use_bf16 else torch.float32

dataset = datasets.ImageFolder("data/val", transform=T.Compose([T.Resize((28, 28)), T.ToTensor(), T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))]))
dl = DataLoader(dataset, batch_size=2, shuffle=True)

trunk = torch.hub.load('facebookresearch/dinov2', 'dinov2_vitb14')
backbone = nn.Sequential(trunk, nn.Flatten(1))
backbone = backbone.to(dev)

backbone.eval()
extract_features(backbone, dl)
