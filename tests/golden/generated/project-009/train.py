import timm
import torch
from data import TileDataset, prefetch
from models import build_backbone
from torch.utils.data import DataLoader


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

extractor = build_backbone()
extractor = extractor.to(dev)
optimizer = torch.optim.AdamW(extractor.parameters(), lr=0.01)

extractor.train()
train_one_epoch(extractor, val_loader)
