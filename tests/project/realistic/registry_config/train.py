import torch
import torch.nn.functional as F

import config
from models import build_model


def train_one_epoch(model, optimizer, device, steps=2):
    model.train()
    for step in range(steps):
        images = torch.randn(config.BATCH_SIZE, 3, 224, 224, device=device).to(config.DTYPE)
        labels = torch.randint(0, config.NUM_CLASSES, (config.BATCH_SIZE,), device=device)
        logits = model(images)
        loss = F.cross_entropy(logits.float(), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"step {step} loss {loss.item():.3f}")


def main():
    device = torch.device("cuda")
    model = build_model(config.BACKBONE, config.NUM_CLASSES).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.LR)
    train_one_epoch(model, optimizer, device)


if __name__ == "__main__":
    main()
