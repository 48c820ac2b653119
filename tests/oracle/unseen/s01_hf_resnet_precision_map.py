"""Extract pooled ResNet features for a folder of images (HF transformers)."""
import argparse
import os

import numpy as np
import torch
from PIL import Image
from transformers import AutoImageProcessor, AutoModel

DTYPES = {
    "fp32": torch.float32,
    "bf16": torch.bfloat16,
    "fp16": torch.float16,
}


def parse_args():
    p = argparse.ArgumentParser(description="feature extraction")
    p.add_argument("--model", default="microsoft/resnet-50")
    p.add_argument("--precision", default="bf16", choices=sorted(DTYPES))
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--out", default="features.npy")
    return p.parse_args()


def load_images(n):
    # stand-in for a glob over a folder of jpgs
    return [Image.open(f"img_{i:04d}.jpg").convert("RGB") for i in range(n)]


@torch.no_grad()
def main():
    args = parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype = DTYPES[args.precision]

    processor = AutoImageProcessor.from_pretrained(args.model)
    model = AutoModel.from_pretrained(args.model).to(device).eval()

    images = load_images(6)
    feats = []
    for start in range(0, len(images), args.batch_size):
        chunk = images[start:start + args.batch_size]
        inputs = processor(images=chunk, return_tensors="pt").to(device, dtype)
        outputs = model(pixel_values=inputs["pixel_values"])
        pooled = outputs.pooler_output.flatten(1)
        feats.append(pooled.float().cpu().numpy())

    feats = np.concatenate(feats)
    print("features", feats.shape, "saved to", os.path.basename(args.out))


if __name__ == "__main__":
    main()
