# The origin story: a GPU-cached dataset stores images as bf16 under use_bf16, a wrapper
# holds DINOv2, training runs under autocast and validation does not.
from types import SimpleNamespace

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

config = SimpleNamespace(training=SimpleNamespace(use_bf16=True, epochs=2))
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class GPUCachedDataset(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.images = images.to(device)
        if use_bf16:
            self.images = self.images.to(torch.bfloat16)
        self.labels = labels.to(device)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        return {"image": self.images[idx], "label": self.labels[idx]}


class DinoClassifier(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        self.head = nn.Linear(384, num_classes)

    def forward(self, x):
        return self.head(self.backbone(x))


train_set = GPUCachedDataset(torch.rand(64, 3, 56, 56), torch.randint(0, 4, (64,)), use_bf16=config.training.use_bf16)
val_set = GPUCachedDataset(torch.rand(16, 3, 56, 56), torch.randint(0, 4, (16,)), use_bf16=config.training.use_bf16)
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
val_loader = DataLoader(val_set, batch_size=8)
model = DinoClassifier(4).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

for epoch in range(config.training.epochs):
    model.train()
    for batch in train_loader:
        batch = {k: v.to(device) for k, v in batch.items()}
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16):
            logits = model(batch["image"])  # expect: BFD002
            loss = nn.functional.cross_entropy(logits, batch["label"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    with torch.no_grad():
        for batch in val_loader:
            batch = {k: v.to(device) for k, v in batch.items()}
            logits = model(batch["image"])  # expect: BFD001
