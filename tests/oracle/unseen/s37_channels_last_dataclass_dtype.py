"""Throughput benchmark with channels_last; the input dtype lives in a dataclass field."""
import time
from dataclasses import dataclass

import torch
import timm


@dataclass
class BenchConfig:
    arch: str = "resnet34"
    batch_size: int = 2
    image_size: int = 32
    dtype: torch.dtype = torch.bfloat16
    warmup: int = 1
    iters: int = 2


def bench(cfg: BenchConfig):
    model = timm.create_model(cfg.arch, pretrained=True).cuda().eval()
    model = model.to(memory_format=torch.channels_last)
    x = torch.randn(cfg.batch_size, 3, cfg.image_size, cfg.image_size, device="cuda")
    x = x.to(cfg.dtype).contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        for _ in range(cfg.warmup):
            model(x)
        t0 = time.perf_counter()
        for _ in range(cfg.iters):
            model(x)
    return cfg.iters * cfg.batch_size / (time.perf_counter() - t0)


if __name__ == "__main__":
    print(f"{bench(BenchConfig()):.1f} img/s")
