from dataclasses import dataclass, field

import torch
from torch.utils.data import DataLoader, Dataset


@dataclass
class TrainConfig:
    use_bf16: bool = True
    lr: float = 1e-4


@dataclass
class Config:
    training: TrainConfig = field(default_factory=TrainConfig)


class GPUCache(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        dtype = torch.bfloat16 if use_bf16 else torch.float32
        self.images = images.to("cuda", dtype=dtype)
        self.labels = labels.to("cuda")

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.images[i], self.labels[i]


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14")
        self.fc = torch.nn.Linear(768, 100)

    def forward(self, x):
        return self.fc(self.encoder(x))


config = Config()
ds = GPUCache(all_images, all_labels, use_bf16=config.training.use_bf16)
loader = DataLoader(ds, batch_size=64, shuffle=True)
model = Classifier().cuda()
model.eval()
with torch.no_grad():
    for x, y in loader:
        pred = model(x).argmax(-1)  # expect: BFD001
