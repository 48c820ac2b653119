"""Evaluate on the validation split."""
import copy
from types import SimpleNamespace

import open_clip
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class TileDataset(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        if self.use_bf16:
            image = image.bfloat16()
        return image, self.labels[i]


class FeatureExtractor(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = open_clip.create_model("ViT-B-16", pretrained="laion2b_s34b_b79k")

    def forward(self, x):
        feats = self.backbone.encode_image(x)
        return feats


def make_runner(net, device):
    def run(t):
        t = t.to(device)
        return net(t)
    return run


dev = torch.device("cuda")
args = SimpleNamespace(training=SimpleNamespace(use_bf16=True, lr=1e-4))

use_bf16 = args.training.use_bf16
dataset = TileDataset(torch.rand(4, 3, 32, 32), torch.randint(0, 10, (4,)), use_bf16=use_bf16)
dl = DataLoader(dataset, batch_size=2)

encoder = FeatureExtractor()
encoder = encoder.to(dev)
ema = copy.deepcopy(encoder).eval()
encoder = encoder.bfloat16()
runner = make_runner(ema, dev)

ema.eval()
with torch.inference_mode():
    for xb, _ in dl:
        out = runner(xb)
        print(out.shape)
