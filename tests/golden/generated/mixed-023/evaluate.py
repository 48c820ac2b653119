import contextlib
import functools
from dataclasses import dataclass

import timm
import torch
from torch.utils.data import DataLoader, Dataset


@dataclass
class TrainConfig:
    lr: float = 1e-4
    use_bf16: bool = True
    epochs: int = 1


class GPUCachedDataset(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        if self.use_bf16:
            image = image.bfloat16()
        return image, self.labels[i]


def build_backbone():
    net = timm.create_model("convnext_nano", pretrained=True, num_classes=10)
    return net.eval()


def to_device(batch, device):
    return tuple(t.to(device, non_blocking=True) for t in batch)


def amp_context(precision):
    if precision == "fp16":
        return torch.autocast("cuda", dtype=torch.float16)
    return contextlib.nullcontext()  # bf16 weights need no autocast


def main():
    dev = "cuda"
    config = TrainConfig()

    dataset = GPUCachedDataset(torch.rand(6, 3, 32, 32), torch.randint(0, 10, (6,)), use_bf16=config.use_bf16)
    dl = DataLoader(dataset, batch_size=2)

    model = build_backbone()
    model = model.to(dev).eval()

    model.eval()
    with torch.no_grad():
        move = functools.partial(to_device, device=dev)
        for sample in dl:
            xb, y = move(sample)
            with amp_context("bf16"):
                out = model(xb)
            print(out.shape)


if __name__ == "__main__":
    main()
