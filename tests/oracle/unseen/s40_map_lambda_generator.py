"""Streaming evaluation: a generator yields bf16 batches, moved with map(lambda ...)."""
import torch
from torchvision.models import mobilenet_v3_small, MobileNet_V3_Small_Weights


def stream(n, bs=2):
    for _ in range(n):
        x = torch.rand(bs, 3, 32, 32).bfloat16()
        y = torch.randint(0, 1000, (bs,))
        yield x, y


def main():
    device = torch.device("cuda")
    model = mobilenet_v3_small(weights=MobileNet_V3_Small_Weights.IMAGENET1K_V1).to(device).eval()
    hits = 0
    with torch.inference_mode():
        for batch in stream(2):
            images, labels = map(lambda t: t.to(device), batch)
            hits += (model(images).argmax(-1) == labels).sum().item()
    print("hits", hits)


if __name__ == "__main__":
    main()
