# A dtype variable picked from a bf16 flag reaches the images.
import argparse

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--bf16", action="store_true")
args = parser.parse_args()

dtype = torch.bfloat16 if args.bf16 else torch.float32
backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda().eval()


@torch.no_grad()
def embed(loader):
    feats = []
    for batch in loader:
        images = batch["image"].to("cuda", non_blocking=True).to(dtype)
        feats.append(backbone(images))  # expect: BFD001
    return torch.cat(feats)
