# A flag handed to a dataset by keyword and tested again outside it is one fact: the
# dataset stores bf16 exactly when the loop casts back (argparse switch, env comparison).
import argparse
import os

import timm
import torch
from torch.utils.data import DataLoader, Dataset

parser = argparse.ArgumentParser()
parser.add_argument("--use-bf16", action="store_true")
cfg = parser.parse_args()
bf16 = os.environ.get("BF16", "1") == "1"


class TileDataset(Dataset):
    def __init__(self, images, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images.to(torch.bfloat16) if use_bf16 else images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = self.images[i]
        if self.use_bf16:
            image = image.cuda()
        return {"images": image}


model = timm.create_model("convnext_tiny", pretrained=True).cuda()
for item in DataLoader(TileDataset(torch.rand(4, 3, 32, 32), use_bf16=cfg.use_bf16), batch_size=2):
    if cfg.use_bf16:
        item["images"] = item["images"].float()
    model(item["images"])
for item in DataLoader(TileDataset(torch.rand(4, 3, 32, 32), use_bf16=bf16), batch_size=2):
    x = item["images"]
    if bf16:
        x = x.float()
    model(x)
