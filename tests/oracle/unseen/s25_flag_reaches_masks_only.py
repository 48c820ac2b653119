"""Depth + mask supervision; half precision is only used for the auxiliary targets (negative)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
import timm


@dataclass
class TrainCfg:
    use_bf16: bool = True
    steps: int = 2


def sample(cfg, device):
    image = torch.rand(2, 3, 32, 32, device=device)
    depth = torch.rand(2, 1, 32, 32, device=device)
    mask = (torch.rand(2, 1, 32, 32, device=device) > 0.5).float()
    target_dtype = torch.bfloat16 if cfg.use_bf16 else torch.float32
    return {"image": image, "depth": depth.to(target_dtype), "mask": mask.to(target_dtype)}


class DenseHead(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, 2 * 32 * 32)

    def forward(self, f):
        return self.proj(f).view(-1, 2, 32, 32)


def main():
    cfg = TrainCfg()
    device = "cuda"
    encoder = timm.create_model("vit_small_patch16_224", pretrained=True, num_classes=0).to(device)
    head = DenseHead(encoder.num_features).to(device)
    params = list(encoder.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=1e-4)
    for step in range(cfg.steps):
        batch = sample(cfg, device)
        pred = head(encoder(batch["image"]))
        loss = F.l1_loss(pred[:, :1], batch["depth"].float()) + F.binary_cross_entropy_with_logits(
            pred[:, 1:], batch["mask"].float())
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(step, round(loss.item(), 4))


if __name__ == "__main__":
    main()
