#!/usr/bin/env python
# Dump ViT CLS embeddings for retrieval. Usage: python embed.py --dtype bfloat16
import argparse
import time

import torch
import timm
from timm.data import resolve_data_config, create_transform
from PIL import Image
from torch.utils.data import Dataset, DataLoader


class ImageList(Dataset):
    def __init__(self, paths, transform):
        self.paths = paths
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, idx):
        img = Image.open(self.paths[idx]).convert("RGB")
        return self.transform(img), idx


def build_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", type=str, default="vit_small_patch16_224.augreg_in21k")
    parser.add_argument("--dtype", type=str, default="bfloat16",
                        help="torch dtype name used for the input batches")
    parser.add_argument("--workers", type=int, default=0)
    return parser


def main():
    args = build_parser().parse_args()
    device = torch.device("cuda")
    dtype = getattr(torch, args.dtype)

    model = timm.create_model(args.arch, pretrained=True, num_classes=0)
    model = model.to(device).eval()
    config = resolve_data_config({}, model=model)
    transform = create_transform(**config)

    ds = ImageList([f"gallery/{i}.png" for i in range(5)], transform)
    loader = DataLoader(ds, batch_size=2, num_workers=args.workers)

    embeddings = {}
    t0 = time.time()
    with torch.inference_mode():
        for images, ids in loader:
            images = images.to(device, dtype=dtype, non_blocking=True)
            tokens = model.forward_features(images)
            cls = tokens[:, 0]
            for i, e in zip(ids.tolist(), cls):
                embeddings[i] = e.float().cpu()
    print(f"embedded {len(embeddings)} images in {time.time() - t0:.2f}s")


if __name__ == "__main__":
    main()
