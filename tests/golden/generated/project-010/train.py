import functools

import torch
from data import CachedImages, collate_to
from models import create_encoder
from torch.utils.data import DataLoader


def train_one_epoch(encoder, train_loader):
    views = []
    for t, _ in train_loader:
        views.append(t.to(device))
    xb = torch.cat(views)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        emb = encoder(pixel_values=xb).pooler_output
    loss = emb.float().pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()


device = "cuda"

dataset = CachedImages(torch.rand(6, 3, 32, 32), torch.randint(0, 10, (6,)), use_bf16=False)
train_loader = DataLoader(dataset, batch_size=2, collate_fn=functools.partial(collate_to, dtype=torch.bfloat16))

encoder = create_encoder()
encoder = encoder.cuda()
optimizer = torch.optim.AdamW(encoder.parameters(), lr=0.01)

encoder.train()
train_one_epoch(encoder, train_loader)
