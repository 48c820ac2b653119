import copy
from dataclasses import dataclass, field

import torch
from models import DinoClassifier
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2


@dataclass
class PrecisionConfig:
    use_bf16: bool = True


@dataclass
class RunConfig:
    precision: PrecisionConfig = field(default_factory=PrecisionConfig)
    batch_size: int = 2


device = torch.device("cuda")
cfg = RunConfig()
compute_dtype = torch.bfloat16 if cfg.precision.use_bf16 else torch.float32

dataset = datasets.ImageFolder("/data/imagenet/val", transform=v2.Compose([v2.ToImage(), v2.Resize((28, 28), antialias=True), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])]))
train_loader = DataLoader(dataset, batch_size=2, shuffle=True)

model = DinoClassifier()
model = model.cuda()
teacher = copy.deepcopy(model).eval()
model = model.bfloat16()

teacher.eval()
results = []
for images, y in train_loader:
    images, y = images.cuda(), y.to("cuda")
    images = images.to(compute_dtype)
    out = teacher(images)
    results.append(out.float().cpu())
