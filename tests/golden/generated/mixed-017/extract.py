"""Evaluate on the validation split."""
from dataclasses import dataclass, field

import torch
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2
from transformers import AutoModel


@dataclass
class PrecisionConfig:
    use_bf16: bool = True


@dataclass
class RunConfig:
    precision: PrecisionConfig = field(default_factory=PrecisionConfig)
    batch_size: int = 2


def make_runner(net, device):
    def run(t):
        t = t.to(device)
        return net(pixel_values=t).pooler_output
    return run


def train_one_epoch(extractor, loader):
    for images, _ in loader:
        images = images.to(dev, dtype=torch.bfloat16)
        images = (images - mean) / std
        out = runner(images)
        loss = out.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


dev = torch.device("cuda")
cfg = RunConfig()

dataset = datasets.FakeData(size=4, image_size=(3, 32, 32), num_classes=10, transform=v2.Compose([v2.ToImage(), v2.Resize((32, 32), antialias=True), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])]))
loader = DataLoader(dataset, batch_size=2, shuffle=True)

extractor = AutoModel.from_pretrained("microsoft/resnet-50")
extractor.to(dev)
mean = torch.tensor([0.485, 0.456, 0.406], device=dev).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=dev).view(1, 3, 1, 1)
optimizer = torch.optim.SGD(extractor.parameters(), lr=1e-4)
runner = make_runner(extractor, dev)

extractor.train()
train_one_epoch(extractor, loader)
