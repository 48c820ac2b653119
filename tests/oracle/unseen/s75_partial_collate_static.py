"""Collate with a dtype bound by functools.partial; collate is a static method of the dataset."""
from functools import partial

import torch
from torch.utils.data import DataLoader, Dataset
import timm


class Crops(Dataset):
    dtype = torch.float32

    def __init__(self, n=4):
        self.items = [torch.rand(3, 32, 32) for _ in range(n)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i].to(self.dtype), i

    @staticmethod
    def collate_fn(batch, dtype=torch.float32):
        images = torch.stack([b[0] for b in batch]).to(dtype)
        return images, torch.tensor([b[1] for b in batch])


loader = DataLoader(Crops(), batch_size=2, collate_fn=partial(Crops.collate_fn, dtype=torch.bfloat16))
model = timm.create_model("tf_efficientnet_b0", pretrained=True).cuda().eval()
with torch.no_grad():
    for images, idx in loader:
        print(model.forward(images.cuda()).shape, idx.tolist())
