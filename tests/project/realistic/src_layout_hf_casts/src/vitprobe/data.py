import torch
from torch.utils.data import Dataset


class ProbeDataset(Dataset):
    def __init__(self, size, image_size=224, dtype=torch.float32):
        self.size = size
        self.image_size = image_size
        self.dtype = dtype

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        pixel_values = torch.rand(3, self.image_size, self.image_size, dtype=self.dtype)
        return {"pixel_values": pixel_values, "labels": torch.tensor(index % 3)}
