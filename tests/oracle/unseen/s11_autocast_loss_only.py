"""Train a small classifier on top of a torchvision EfficientNet; images are stored bf16."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import efficientnet_b0, EfficientNet_B0_Weights

use_bf16 = True
device = "cuda"


def build_dataset(n=8, size=32):
    x = torch.rand(n, 3, size, size)
    y = torch.randint(0, 5, (n,))
    if use_bf16:
        x = x.to(dtype=torch.bfloat16)
    return TensorDataset(x, y)


def main():
    net = efficientnet_b0(weights=EfficientNet_B0_Weights.DEFAULT)
    net.classifier[-1] = nn.Linear(net.classifier[-1].in_features, 5)
    net.to(device)
    loader = DataLoader(build_dataset(), batch_size=4, shuffle=True, drop_last=True)
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-4, weight_decay=0.05)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

    net.train()
    for epoch in range(1):
        for imgs, targets in loader:
            imgs = imgs.to(device, non_blocking=True)
            targets = targets.to(device, non_blocking=True)
            logits = net(imgs)
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=use_bf16):
                loss = criterion(logits, targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        print("epoch", epoch, "loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
