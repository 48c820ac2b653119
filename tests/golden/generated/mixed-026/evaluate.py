"""Evaluate on the validation split."""
import contextlib

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from transformers import AutoModel


def to_device(batch, device):
    return tuple(t.to(device, non_blocking=True) for t in batch)


def amp_context(precision):
    if precision == "fp16":
        return torch.autocast("cuda", dtype=torch.float16)
    return contextlib.nullcontext()  # bf16 weights need no autocast


def main():
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    dataset = datasets.ImageFolder("/data/imagenet/val", transform=transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(), transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))]))
    train_loader = DataLoader(dataset, batch_size=2, shuffle=False)

    backbone = AutoModel.from_pretrained("google/vit-base-patch16-224")
    backbone = backbone.to(dev).eval()
    optimizer = torch.optim.SGD(backbone.parameters(), lr=1e-4)

    backbone.train()
    for data in train_loader:
        pixels, y = to_device(data, dev)
        with amp_context("bf16"):
            outputs = backbone(pixels).last_hidden_state
        loss = outputs.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    main()
