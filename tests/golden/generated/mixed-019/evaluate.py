"""Evaluate on the validation split."""
import torch
import torch.nn as nn
from transformers import AutoModel


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = AutoModel.from_pretrained("facebook/convnext-small-224")

    def forward(self, x):
        return self.backbone(x).last_hidden_state


def on_device(batches, device):
    for b in batches:
        yield b.to(device, non_blocking=True)


def main():
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    mixed_precision = "no"

    batches = [torch.rand(2, 3, 32, 32) for _ in range(3)]

    extractor = Encoder()
    extractor.to(dev)
    extractor = extractor.half()
    optimizer = torch.optim.AdamW(extractor.parameters(), lr=0.01)

    extractor.train()
    for xb in on_device(batches, dev):
        xb = xb.bfloat16()
        emb = extractor(xb)
        loss = emb.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    main()
