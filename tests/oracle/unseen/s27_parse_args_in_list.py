"""Evaluation entry point that can also be driven from another script with explicit args."""
import argparse

import torch
import timm


def build_parser():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="resnet50")
    p.add_argument("--bf16", action="store_true", help="feed bf16 images")
    p.add_argument("--bs", type=int, default=2)
    return p


def run(args):
    model = timm.create_model(args.arch, pretrained=True).cuda().eval()
    x = torch.rand(args.bs, 3, 32, 32).cuda()
    if args.bf16:
        x = x.to(torch.bfloat16)
    with torch.no_grad():
        return model(x).float().softmax(-1).argmax(-1)


if __name__ == "__main__":
    # quick smoke run with the defaults (fp32); the sweep script passes its own list
    args = build_parser().parse_args([])
    print(run(args))
