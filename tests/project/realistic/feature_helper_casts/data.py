import torch
from torch.utils.data import Dataset


class RandomImages(Dataset):
    """Stands in for an ImageFolder: images already normalised, stored in `dtype`."""

    def __init__(self, n=4, dtype=torch.float32):
        self.n = n
        self.dtype = dtype

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        image = torch.rand(3, 224, 224)
        return image.to(self.dtype), index % 2
