"""--bf16 only switches autocast and the optimizer's eps (negative: images stay fp32)."""
import argparse

import torch
import torch.nn as nn
import torchvision


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--bf16", action="store_true")
    p.add_argument("--steps", type=int, default=2)
    return p.parse_args()


def main():
    args = parse()
    device = "cuda"
    model = torchvision.models.resnet18(pretrained=True)
    model.fc = nn.Linear(model.fc.in_features, 2)
    model = model.to(device)
    eps = 1e-6 if args.bf16 else 1e-8
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, eps=eps)
    ctx = torch.autocast("cuda", dtype=torch.bfloat16) if args.bf16 else torch.autocast("cuda", enabled=False)

    for step in range(args.steps):
        x = torch.rand(2, 3, 32, 32, device=device)
        y = torch.tensor([0, 1], device=device)
        with ctx:
            loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(step, loss.item())


if __name__ == "__main__":
    main()
