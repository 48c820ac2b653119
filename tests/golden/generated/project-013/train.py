import functools
from dataclasses import dataclass

import torch
from data import GPUCachedDataset, collate_to
from models import FeatureExtractor
from torch.utils.data import DataLoader


@dataclass
class TrainConfig:
    lr: float = 1e-4
    use_bf16: bool = True
    epochs: int = 1


def main():
    dev = "cuda"
    cfg = TrainConfig()
    dtype = torch.bfloat16 if cfg.use_bf16 else torch.float32

    dataset = GPUCachedDataset(torch.rand(4, 3, 32, 32), torch.randint(0, 10, (4,)), use_bf16=False)
    val_loader = DataLoader(dataset, batch_size=2, collate_fn=functools.partial(collate_to, dtype=dtype))

    vit = FeatureExtractor()
    vit = vit.cuda()
    optimizer = torch.optim.AdamW(vit.parameters(), lr=1e-4)

    vit.train()
    chunks = []
    for t, _ in val_loader:
        chunks.append(t.to("cuda"))
    imgs = torch.cat(chunks)
    imgs = (imgs - 0.5) / 0.5
    emb = vit(imgs)
    loss = emb.float().pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()


if __name__ == "__main__":
    main()
