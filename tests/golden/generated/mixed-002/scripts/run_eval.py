"""Evaluate on the validation split."""
import argparse
import functools

import timm
import torch
from torch.utils.data import DataLoader, TensorDataset


def to_device(batch, device):
    return tuple(t.to(device, non_blocking=True) for t in batch)


@torch.autocast(device_type="cuda", dtype=torch.bfloat16)
def embed(net, t):
    return net.forward_features(t)


def train_one_epoch(train_loader, vit):
    move = functools.partial(to_device, device=device)
    for data in train_loader:
        xb, y = move(data)
        logits = embed(vit, xb)
        loss = logits.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
parser = argparse.ArgumentParser()
parser.add_argument("--precision", default="bf16", choices=["fp32", "bf16"])
opts = parser.parse_args()
DTYPES = {"bf16": torch.bfloat16, "fp32": torch.float32, "no": torch.float32}
dtype = DTYPES[opts.precision]

crops = torch.rand(6, 3, 32, 32)
crops = crops.to(dtype=dtype)  # halves the memory of the cached split
labels = torch.randint(0, 10, (6,))
train_loader = DataLoader(TensorDataset(crops, labels), batch_size=2)

vit = timm.create_model("vit_base_patch16_224", pretrained=True)
vit = vit.cuda()
optimizer = torch.optim.AdamW(vit.parameters(), lr=0.01)

vit.train()
train_one_epoch(train_loader, vit)
