import os
import sys

import torch
from torchvision import models

PRECISION = os.environ.get("EVAL_PRECISION", "bf16")
BATCH_SIZE = int(os.environ.get("BATCH_SIZE", "4"))


def log(*a):
    print("[eval]", *a, file=sys.stderr)


def batches(n_batches):
    for _ in range(n_batches):
        x = torch.rand(BATCH_SIZE, 3, 40, 40)
        y = torch.randint(0, 1000, (BATCH_SIZE,))
        yield x, y


def to_precision(x):
    if PRECISION == "bf16":
        return x.to(torch.bfloat16)
    if PRECISION == "fp16":
        return x.half()
    return x


def evaluate(model, device):
    correct = total = 0
    model.eval()
    with torch.no_grad():
        for x, y in batches(2):
            x = to_precision(x.to(device))
            pred = model(x).argmax(-1).cpu()
            correct += (pred == y).sum().item()
            total += y.numel()
    return correct / total


if __name__ == "__main__":
    device = "cuda"
    net = models.get_model("regnet_y_400mf", weights="DEFAULT").to(device)
    log("precision", PRECISION)
    acc = evaluate(net, device)
    log(f"top-1 {acc:.3f}")
