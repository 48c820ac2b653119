# Options take their defaults: a checkpoint from an argparse default, an environment
# default, an f-string of a module constant, or a dict of checkpoints picked at run time
# builds a backbone; a dataclass field's default_factory builds the config that turns bf16 on.
import argparse
import os
from dataclasses import dataclass, field

import torch
from transformers import AutoModel, AutoModelForImageClassification

parser = argparse.ArgumentParser()
parser.add_argument("--checkpoint", default="microsoft/resnet-18")
parser.add_argument("--bf16", action="store_true")
opts = parser.parse_args()
net = AutoModelForImageClassification.from_pretrained(opts.checkpoint).cuda()
dtype = torch.bfloat16 if opts.bf16 else torch.float32
frames = torch.load("frames.pt").cuda().to(dtype)
preds = net(pixel_values=frames)  # expect: BFD001

encoder = AutoModel.from_pretrained(os.environ.get("EMBED_CKPT", "facebook/convnext-small-224")).cuda()
DEPTH = 50
resnet = AutoModelForImageClassification.from_pretrained(f"microsoft/resnet-{DEPTH}").cuda()
CHECKPOINTS = {"r50": "microsoft/resnet-50", "cnx": "facebook/convnext-tiny-224"}


@dataclass
class Precision:
    bf16_storage: bool = True


@dataclass
class RunConfig:
    precision: Precision = field(default_factory=Precision)
    arch: str = field(default="r50")


cfg = RunConfig()
pixels = torch.load("pool.pt").cuda()
if cfg.precision.bf16_storage:
    pixels = pixels.bfloat16()
a = encoder(pixels)  # expect: BFD001
b = resnet(pixels)  # expect: BFD001
clf = AutoModelForImageClassification.from_pretrained(CHECKPOINTS[cfg.arch]).cuda()
c = clf(pixels)  # expect: BFD001
