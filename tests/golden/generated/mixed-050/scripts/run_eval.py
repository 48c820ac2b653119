import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class GPUCachedDataset(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        return image, self.labels[i]


def to_device(batch, device):
    return tuple(t.to(device, non_blocking=True) for t in batch)


def main():
    dev = torch.device("cuda")
    mixed_precision = "bf16"
    cast_dtype = torch.bfloat16 if mixed_precision == "bf16" else torch.float32

    dataset = GPUCachedDataset(torch.rand(6, 3, 28, 28), torch.randint(0, 10, (6,)), use_bf16=False)
    train_loader = DataLoader(dataset, batch_size=2)

    trunk = torch.hub.load("facebookresearch/dinov2", "dinov2_vitl14")
    extractor = nn.Sequential(trunk, nn.Flatten(1))
    extractor = extractor.to(dev)
    optimizer = torch.optim.SGD(extractor.parameters(), lr=1e-4)

    extractor.train()
    for batch in train_loader:
        inputs_img, y = to_device(batch, dev)
        inputs_img = inputs_img.to(dtype=cast_dtype)
        if mixed_precision == "bf16":
            inputs_img = inputs_img.float()
        emb = extractor(inputs_img)
        loss = emb.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    main()
