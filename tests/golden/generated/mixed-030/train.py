import os

import torch
from transformers import ViTModel


def make_runner(net, device):
    def run(t):
        t = t.to(device)
        return net(t).pooler_output
    return run


def autocast_ctx(device_type="cuda"):
    return torch.autocast(device_type, dtype=torch.bfloat16)


def main():
    dev = "cuda"
    train_bf16 = os.environ.get("TRAIN_BF16", "0") == "1"
    dtype = torch.bfloat16 if train_bf16 else torch.float32

    train_loader = [torch.rand(2, 3, 32, 32).to(dtype) for _ in range(2)]

    net = ViTModel.from_pretrained("google/vit-base-patch16-224")
    net = net.to(dev).eval()
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-4)
    runner = make_runner(net, dev)

    net.train()
    for images in train_loader:
        with autocast_ctx():
            out = runner(images)
        loss = out.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    main()
