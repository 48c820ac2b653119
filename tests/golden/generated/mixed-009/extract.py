"""Evaluate on the validation split."""
import timm
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class TileDataset(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images.to(torch.bfloat16) if use_bf16 else images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        return image, self.labels[i]


def prefetch(loader, device):
    for images, labels in loader:
        yield images.to(device, non_blocking=True), labels.to(device, non_blocking=True)


def train_one_epoch(extractor, val_loader):
    for images, y in prefetch(val_loader, dev):
        with torch.cuda.amp.autocast(enabled=False):
            emb = extractor(images)
        loss = emb.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


dev = torch.device("cuda")
mixed_precision = "bf16"

dataset = TileDataset(torch.rand(6, 3, 32, 32), torch.randint(0, 10, (6,)), use_bf16=mixed_precision == "bf16")
val_loader = DataLoader(dataset, batch_size=2)

trunk = timm.create_model("convnext_tiny", pretrained=True)
extractor = nn.Sequential(trunk, nn.Flatten(1))
extractor = extractor.to(dev)
optimizer = torch.optim.AdamW(extractor.parameters(), lr=1e-4)

extractor.train()
train_one_epoch(extractor, val_loader)
