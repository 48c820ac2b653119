import os

import torch

from models.dino import DinoClassifier

USE_BF16 = os.environ.get("USE_BF16", "1") == "1"


def main():
    model = DinoClassifier().cuda()
    if USE_BF16:
        model = model.to(torch.bfloat16)
    x = torch.randn(2, 3, 224, 224).cuda()
    if USE_BF16:
        x = x.to(torch.bfloat16)
    out = model(x)
    print(out.shape)


main()
