from dataclasses import dataclass, field

import timm
import torch
from models.backbone import Backbone
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


@dataclass
class PrecisionConfig:
    use_bf16: bool = True


@dataclass
class RunConfig:
    precision: PrecisionConfig = field(default_factory=PrecisionConfig)
    batch_size: int = 2


def main():
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    config = RunConfig()

    dataset = datasets.ImageFolder("/data/imagenet/val", transform=T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))]))
    batches = DataLoader(dataset, batch_size=2, shuffle=False)

    model = Backbone()
    model = model.to(dev).eval()
    model = model.half()

    model.eval()
    results = []
    chunks = []
    for t, _ in batches:
        chunks.append(t.to("cuda"))
    xb = torch.cat(chunks)
    if config.precision.use_bf16:
        xb = xb.bfloat16()
    logits = model(xb)
    results.append(logits.detach())


if __name__ == "__main__":
    main()
