# Linear probe on torchvision ViT-B/16 with a GPU-resident bf16 image cache.
from types import SimpleNamespace

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models

cfg = SimpleNamespace(
    data=SimpleNamespace(num_samples=8, image_size=32, num_classes=4),
    train=SimpleNamespace(bf16=True, batch_size=4, lr=3e-4, steps=2),
)


class GPUCache(Dataset):
    def __init__(self, n, size, num_classes, device, bf16=False):
        images = torch.rand(n, 3, size, size)
        if bf16:
            images = images.bfloat16()
        self.images = images.to(device)
        self.labels = torch.randint(0, num_classes, (n,), device=device)

    def __len__(self):
        return self.images.shape[0]

    def __getitem__(self, i):
        return self.images[i], self.labels[i]


class LinearProbe(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.backbone = models.vit_b_16(weights=models.ViT_B_16_Weights.IMAGENET1K_V1)
        self.backbone.heads = nn.Identity()
        self.backbone.requires_grad_(False)
        self.fc = nn.Linear(self.backbone.hidden_dim, num_classes)

    def forward(self, x):
        with torch.no_grad():
            z = self.backbone(x)
        return self.fc(z.float())


def main():
    device = torch.device("cuda")
    ds = GPUCache(cfg.data.num_samples, cfg.data.image_size, cfg.data.num_classes, device, bf16=cfg.train.bf16)
    dl = DataLoader(ds, batch_size=cfg.train.batch_size, shuffle=True)
    model = LinearProbe(cfg.data.num_classes).to(device)
    opt = torch.optim.Adam(model.fc.parameters(), lr=cfg.train.lr)
    crit = nn.CrossEntropyLoss()
    for step, (x, y) in enumerate(dl):
        x = x.cuda(non_blocking=True)
        logits = model(x)
        loss = crit(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(step, f"{loss.item():.4f}")
        if step + 1 >= cfg.train.steps:
            break


if __name__ == "__main__":
    main()
