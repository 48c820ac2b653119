import functools
from dataclasses import dataclass, field

import torch
import torch.nn as nn
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


class DinoClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = AutoModel.from_pretrained("google/vit-base-patch16-224")

    def forward(self, x):
        return self.backbone(x).pooler_output


def to_device(batch, device):
    return tuple(t.to(device, non_blocking=True) for t in batch)


def main():
    device = torch.device("cuda")
    config = RunConfig()
    weight_dtype = torch.bfloat16 if config.precision.use_bf16 else torch.float32

    dataset = datasets.ImageFolder("images/train", transform=v2.Compose([v2.ToImage(), v2.Resize((32, 32), antialias=True), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])]))
    loader = DataLoader(dataset, batch_size=2, shuffle=True)

    vit = DinoClassifier()
    vit = vit.cuda()

    vit.eval()
    results = []
    move = functools.partial(to_device, device=device)
    for item in loader:
        inputs_img, y = move(item)
        inputs_img = inputs_img.to(weight_dtype)
        inputs_img = (inputs_img - 0.5) / 0.5
        emb = vit(inputs_img)
        results.append(emb.detach())


if __name__ == "__main__":
    main()
