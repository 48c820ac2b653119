import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from torchvision import models


def main():
    dist.init_process_group("nccl")
    rank = int(os.environ["LOCAL_RANK"])
    torch.cuda.set_device(rank)
    net = models.resnet101(weights=models.ResNet101_Weights.DEFAULT).to(rank)
    net = DDP(net, device_ids=[rank])
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for images, targets in train_loader:
        images = images.to(rank, non_blocking=True).to(torch.bfloat16)
        targets = targets.to(rank, non_blocking=True)
        loss = torch.nn.functional.cross_entropy(net(images), targets)  # expect: BFD001
        opt.zero_grad()
        loss.backward()
        opt.step()


if __name__ == "__main__":
    main()
