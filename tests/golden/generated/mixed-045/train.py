"""Fine-tune a pretrained backbone."""
import copy

import timm
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class CachedImages(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        return image, self.labels[i]


device = "cuda"

dataset = CachedImages(torch.rand(6, 3, 32, 32), torch.randint(0, 10, (6,)), use_bf16=False)
loader = DataLoader(dataset, batch_size=2)

trunk = timm.create_model("efficientnet_b0", pretrained=True, num_classes=0)
extractor = nn.Sequential(trunk, nn.Flatten(1))
extractor = extractor.to(device)
ema_model = copy.deepcopy(extractor).eval()
extractor = extractor.to(dtype=torch.bfloat16)

ema_model.eval()
for images, y in loader:
    images, y = images.to("cuda"), y.to("cuda")
    emb = ema_model(images)
    print(emb.shape)
