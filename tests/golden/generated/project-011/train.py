import argparse

import torch
from models import create_encoder
from torch.utils.data import DataLoader


def train_one_epoch(model, train_loader):
    for sample in train_loader:
        sample.update(image=sample["image"].cuda(non_blocking=True))
        sample["image"] = (sample["image"] - 0.5) / 0.5
        emb = model(pixel_values=sample["image"]).last_hidden_state
        loss = emb.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


dev = torch.device("cuda")
parser = argparse.ArgumentParser()
parser.add_argument("--precision", default="bf16", choices=["fp32", "bf16"])
args = parser.parse_args()
amp_dtype = torch.bfloat16 if args.precision == "bf16" else torch.float32

samples = [{"image": torch.rand(3, 28, 28).to(amp_dtype), "label": i % 10} for i in range(4)]
train_loader = DataLoader(samples, batch_size=2)

model = create_encoder()
model = model.to(dev)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)

model.train()
train_one_epoch(model, train_loader)
