"""Batches from a bf16 cache; the move to the device casts floating tensors to fp32 (negative)."""
import torch
from torch.utils.data import DataLoader, Dataset
from transformers import AutoModel


class Cache(Dataset):
    def __init__(self, n=4):
        self.px = torch.rand(n, 3, 32, 32, dtype=torch.bfloat16)
        self.labels = torch.arange(n)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"pixel_values": self.px[i], "labels": self.labels[i]}


def to_device(batch, device):
    return {k: (v.to(device, dtype=torch.float32) if v.is_floating_point() else v.to(device))
            for k, v in batch.items()}


model = AutoModel.from_pretrained("microsoft/resnet-18").cuda().eval()
for batch in DataLoader(Cache(), batch_size=2):
    batch = to_device(batch, "cuda")
    with torch.no_grad():
        out = model(pixel_values=batch["pixel_values"])
    print(out.pooler_output.shape, batch["labels"].dtype)
