import argparse

import torch
from torch.utils.data import DataLoader

from data import RandomImages
from utils.features import extract_features


def parse_args():
    parser = argparse.ArgumentParser(description="Extract DINOv2 features for a linear probe")
    parser.add_argument("--arch", default="dinov2_vits14")
    parser.add_argument("--batch-size", type=int, default=2)
    return parser.parse_args()


def main():
    args = parse_args()
    model = torch.hub.load("facebookresearch/dinov2", args.arch).cuda()
    # halve the memory of the cached images
    dataset = RandomImages(4, dtype=torch.bfloat16)
    loader = DataLoader(dataset, batch_size=args.batch_size, num_workers=0)
    feats, labels = extract_features(model, loader)
    print(feats.shape, labels.shape)


if __name__ == "__main__":
    main()
