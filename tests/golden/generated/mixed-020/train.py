import os

import torch
from torch.utils.data import DataLoader, Dataset


class CachedImages(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images.to(torch.bfloat16) if use_bf16 else images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        return {"image": image, "label": self.labels[i]}


def build_backbone():
    net = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14_reg")
    return net.eval()


def main():
    dev = torch.device("cuda")
    use_bf16 = os.environ.get("USE_BF16", "0") == "1"

    dataset = CachedImages(torch.rand(4, 3, 28, 28), torch.randint(0, 10, (4,)), use_bf16=use_bf16)
    val_loader = DataLoader(dataset, batch_size=2)

    net = build_backbone()
    net = net.cuda()

    net.eval()
    results = []
    for data in val_loader:
        data.update(image=data["image"].cuda(non_blocking=True))
        data["image"] = (data["image"] - 0.5) / 0.5
        outputs = net(data["image"])
        results.append(outputs.detach())


if __name__ == "__main__":
    main()
