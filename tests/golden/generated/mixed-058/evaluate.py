"""Extract image features."""
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from transformers import AutoModel


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
        return {"pixel_values": image, "label": self.labels[i]}


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = AutoModel.from_pretrained("facebook/dinov2-base")

    def forward(self, batch):
        feats = self.backbone(pixel_values=batch["pixel_values"]).last_hidden_state
        return feats


dev = torch.device("cuda")
args = TrainConfig()
amp_dtype = torch.bfloat16 if args.use_bf16 else torch.float32

dataset = GPUCachedDataset(torch.rand(4, 3, 28, 28), torch.randint(0, 10, (4,)), use_bf16=False)
dl = DataLoader(dataset, batch_size=2)

model = Encoder()
model.to(dev)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)

model.train()
for batch in dl:
    batch.update({"pixel_values": batch["pixel_values"].to("cuda")})
    batch["pixel_values"] = batch["pixel_values"].to(dtype=amp_dtype)
    batch["pixel_values"] = batch["pixel_values"].float() if batch["pixel_values"].is_floating_point() else batch["pixel_values"]
    feats = model(batch)
    loss = feats.float().pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
