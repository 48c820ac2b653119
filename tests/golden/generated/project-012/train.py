import os

import torch
from data import FrameCache
from models import build_backbone
from torch.utils.data import DataLoader


def run_inference(extractor, train_loader):
    for batch in train_loader:
        moved = {}
        for name, value in batch.items():
            moved[name] = value.to("cuda")
        batch = moved
        if train_bf16:
            batch["images"] = batch["images"].to(torch.bfloat16)
        emb = extractor(batch["images"].float())
        print(emb.shape)


device = torch.device("cuda")
train_bf16 = os.environ.get("TRAIN_BF16", "0") == "1"

dataset = FrameCache(torch.rand(4, 3, 28, 28), torch.randint(0, 10, (4,)), use_bf16=False)
train_loader = DataLoader(dataset, batch_size=2)

extractor = build_backbone()
extractor.to(device)

extractor.eval()
run_inference(extractor, train_loader)
