"""Benchmark a compiled DINOv2 on bf16 batches. The autocast was copied from a CPU
notebook and names the wrong device for the CUDA tensors."""
import time

import torch

BATCH = 2
RES = 28


def make_batch(device):
    x = torch.rand(BATCH, 3, RES, RES, device=device)
    return x.to(torch.bfloat16)


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").to(device).eval()
    model = torch.compile(model, mode="reduce-overhead")

    timings = []
    with torch.no_grad():
        for it in range(3):
            x = make_batch(device)
            t0 = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16):
                feats = model(x)
            timings.append(time.perf_counter() - t0)
            print(it, tuple(feats.shape))
    print("median", sorted(timings)[len(timings) // 2])


if __name__ == "__main__":
    main()
