import torch
from torch.utils.data import Dataset


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


def collate_to(items, dtype):
    images = torch.stack([image for image, _ in items]).to(dtype)
    labels = torch.stack([label for _, label in items])
    return images, labels
