"""Linear probe on a frozen ConvNeXt. Precision is configured by a dataclass."""
from dataclasses import dataclass, field
from typing import List

import timm
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ProbeConfig:
    arch: str = "convnext_tiny"
    mixed_precision: str = "bf16"  # "no" | "fp16" | "bf16"
    lr: float = 1e-3
    epochs: int = 2
    image_size: int = 32
    milestones: List[int] = field(default_factory=lambda: [1])


def fake_loader(cfg, steps=3, bs=4):
    for _ in range(steps):
        yield torch.rand(bs, 3, cfg.image_size, cfg.image_size), torch.randint(0, 10, (bs,))


def main(cfg: ProbeConfig):
    device = "cuda"
    amp_dtype = torch.bfloat16 if cfg.mixed_precision == "bf16" else torch.float16
    use_amp = cfg.mixed_precision != "no"

    backbone = timm.create_model(cfg.arch, pretrained=True, num_classes=0).to(device).eval()
    backbone.requires_grad_(False)
    head = nn.Linear(backbone.num_features, 10).to(device)
    opt = torch.optim.SGD(head.parameters(), lr=cfg.lr, momentum=0.9)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, cfg.milestones)

    for epoch in range(cfg.epochs):
        for images, targets in fake_loader(cfg):
            images, targets = images.to(device), targets.to(device)
            with torch.autocast(device_type="cuda", dtype=amp_dtype, enabled=use_amp):
                with torch.no_grad():
                    feats = backbone(images)
                logits = head(feats.float())
                loss = F.cross_entropy(logits, targets)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        sched.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}")


if __name__ == "__main__":
    main(ProbeConfig())
