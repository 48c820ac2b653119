"""A small Trainer class: bf16 batches, autocast in train_one_epoch, none in evaluate."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import resnet34, ResNet34_Weights


@dataclass
class Args:
    lr: float = 1e-3
    epochs: int = 1
    bf16: bool = True


class Trainer:
    def __init__(self, args, model, train_dl, val_dl):
        self.args = args
        self.model = model.cuda()
        self.train_dl, self.val_dl = train_dl, val_dl
        self.opt = torch.optim.SGD(self.model.parameters(), lr=args.lr)
        self.amp_dtype = torch.bfloat16 if args.bf16 else torch.float32

    def train_one_epoch(self):
        self.model.train()
        for x, y in self.train_dl:
            x, y = x.cuda(), y.cuda()
            with torch.autocast("cuda", dtype=self.amp_dtype, enabled=self.args.bf16):
                loss = F.cross_entropy(self.model(x), y)
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()

    @torch.no_grad()
    def evaluate(self):
        self.model.eval()
        correct = 0
        for x, y in self.val_dl:
            x, y = x.cuda().to(self.amp_dtype), y.cuda()
            correct += (self.model(x).argmax(-1) == y).sum().item()
        return correct

    def fit(self):
        for epoch in range(self.args.epochs):
            self.train_one_epoch()
            print(epoch, self.evaluate())


def loader(n):
    return DataLoader(TensorDataset(torch.rand(n, 3, 32, 32), torch.randint(0, 10, (n,))), batch_size=2)


net = resnet34(weights=ResNet34_Weights.DEFAULT)
net.fc = nn.Linear(net.fc.in_features, 10)
Trainer(Args(), net, loader(4), loader(2)).fit()
