# A split on a flag runs the rest of the module once per value; a function defined before
# the split and called after it still sees the globals each path assigns (runner here).
import argparse

import timm
import torch
from torch.utils.data import DataLoader, Dataset


class FrameCache(Dataset):
    def __init__(self, images, use_bf16=False):
        self.images = images.to(torch.bfloat16) if use_bf16 else images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.images[i]


def make_runner(net):
    def run(t):
        return net(t.cuda())  # expect: BFD001
    return run


def run_inference(loader):
    return [runner(batch) for batch in loader]


parser = argparse.ArgumentParser()
parser.add_argument("--use-bf16", action="store_true")
config = parser.parse_args()
use_bf16 = config.use_bf16
loader = DataLoader(FrameCache(torch.rand(4, 3, 32, 32), use_bf16=use_bf16), batch_size=2)
runner = make_runner(timm.create_model("resnet50", pretrained=True).cuda())
feats = run_inference(loader)
