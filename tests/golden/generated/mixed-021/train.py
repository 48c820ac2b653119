from dataclasses import dataclass

import torch
from transformers import Dinov2Model


@dataclass
class TrainConfig:
    lr: float = 1e-4
    use_bf16: bool = False
    epochs: int = 1


def to_device(t, device):
    return t.to(device, non_blocking=True)


def train_one_epoch(train_loader, vit):
    for x in train_loader:
        x = to_device(x, dev)
        if cfg.use_bf16:
            x = x.to(torch.bfloat16)
        with torch.cpu.amp.autocast(dtype=torch.bfloat16):
            outputs = vit(pixel_values=x).last_hidden_state
        loss = outputs.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


dev = "cuda"
cfg = TrainConfig()

train_loader = [torch.rand(2, 3, 28, 28) for _ in range(3)]

vit = Dinov2Model.from_pretrained("facebook/dinov2-small")
vit = vit.to(dev).eval()
optimizer = torch.optim.AdamW(vit.parameters(), lr=3e-4)

vit.train()
train_one_epoch(train_loader, vit)
