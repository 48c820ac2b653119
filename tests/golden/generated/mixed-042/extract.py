import argparse

import timm
import torch
import torch.nn as nn


def get_cast_dtype(precision: str):
    if precision in ("bf16", "bf16-mixed", "pure_bf16"):
        return torch.bfloat16
    if precision == "fp16":
        return torch.float16
    return torch.float32


def train_one_epoch(net, train_loader):
    views = []
    for t in train_loader:
        views += [t.cuda(non_blocking=True)]
    inputs_img = torch.cat(views)
    inputs_img = inputs_img.to(device, dtype=amp_dtype)
    inputs_img = inputs_img.to(torch.float32)
    feats = net(inputs_img)
    loss = feats.float().pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
parser = argparse.ArgumentParser()
parser.add_argument("--precision", default="bf16", choices=["fp32", "bf16"])
opts = parser.parse_args()
amp_dtype = get_cast_dtype(opts.precision)

train_loader = [torch.rand(2, 3, 32, 32) for _ in range(2)]

trunk = timm.create_model("deit_small_patch16_224", pretrained=True, num_classes=0)
net = nn.Sequential(trunk, nn.Flatten(1))
net = net.to(device).eval()
optimizer = torch.optim.SGD(net.parameters(), lr=1e-4)

net.train()
train_one_epoch(net, train_loader)
