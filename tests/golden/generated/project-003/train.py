import argparse

import timm
import torch
from data import prefetch
from models import Encoder
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    parser = argparse.ArgumentParser(description="feature extraction")
    parser.add_argument("--bf16", action="store_true", help="run in bfloat16")
    parser.add_argument("--batch-size", type=int, default=2)
    cfg = parser.parse_args()
    dtype = torch.bfloat16 if cfg.bf16 else torch.float32

    dataset = datasets.ImageFolder("images/train", transform=T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))]))
    dl = DataLoader(dataset, batch_size=2, shuffle=True)

    encoder = Encoder()
    encoder = encoder.cuda()
    encoder = encoder.to(dtype=torch.bfloat16)

    encoder.eval()
    results = []
    for imgs, y in prefetch(dl, device):
        imgs = imgs.to(device, dtype=dtype)
        feats = encoder(imgs)
        results.append(feats.float().cpu())


if __name__ == "__main__":
    main()
