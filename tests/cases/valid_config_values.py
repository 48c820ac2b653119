# Option defaults decide: a default that turns nothing bf16, a self-casting checkpoint
# picked from a dict, an open_clip precision that follows the same option as the input,
# an environment switch with no say over the data.
import argparse
import os

import open_clip
import torch
from transformers import AutoModel

ap = argparse.ArgumentParser()
ap.add_argument("--precision", default="bf16", choices=["fp32", "bf16"])
ap.add_argument("--storage", default="fp32")
args = ap.parse_args()

clip, _, _ = open_clip.create_model_and_transforms("ViT-B-32", pretrained="openai", precision=args.precision)
cast = torch.bfloat16 if args.precision == "bf16" else torch.float32
crops = torch.load("crops.pt").cuda().to(cast)
emb = clip.encode_image(crops)

SELF_CASTING = {"small": "facebook/dinov2-small", "base": "facebook/dinov2-base"}
dino = AutoModel.from_pretrained(SELF_CASTING[os.environ.get("SIZE", "small")]).cuda()
feats = dino(crops)

tower, _, _ = open_clip.create_model_and_transforms("ViT-B-32", pretrained="openai")
store = torch.bfloat16 if args.storage == "bf16" else torch.float32
images = torch.load("images.pt").cuda().to(store)
out = tower.encode_image(images)
