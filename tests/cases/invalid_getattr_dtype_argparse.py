import argparse
import torch
from torchvision.models import resnet50, ResNet50_Weights

parser = argparse.ArgumentParser()
parser.add_argument("--dtype", default="bfloat16", choices=["float32", "bfloat16"])
parser.add_argument("--device", default="cuda")
args = parser.parse_args()

dtype = getattr(torch, args.dtype)
device = torch.device(args.device)
model = resnet50(weights=ResNet50_Weights.IMAGENET1K_V2).to(device).eval()


@torch.no_grad()
def embed(loader):
    out = []
    for images, _ in loader:
        images = images.to(device, dtype)
        out.append(model(images))  # expect: BFD001
    return torch.cat(out)
