from dataclasses import dataclass

import torch
from data import TileDataset
from models import create_encoder
from torch.utils.data import DataLoader


@dataclass
class TrainConfig:
    lr: float = 1e-4
    use_bf16: bool = True
    epochs: int = 1


def make_runner(net, device):
    def run(t):
        t = t.to(device)
        return net(t)
    return run


def main():
    device = torch.device("cuda")
    cfg = TrainConfig()
    compute_dtype = torch.bfloat16 if cfg.use_bf16 else torch.float32

    dataset = TileDataset(torch.rand(4, 3, 28, 28), torch.randint(0, 10, (4,)), use_bf16=False)
    batches = DataLoader(dataset, batch_size=2)

    vit = create_encoder()
    vit = vit.to(device).eval()
    mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)
    runner = make_runner(vit, device)

    vit.eval()
    results = []
    for x, _ in batches:
        x = x.to(device, dtype=compute_dtype)
        x = (x - mean) / std
        emb = runner(x)
        results.append(emb.float().cpu())


if __name__ == "__main__":
    main()
