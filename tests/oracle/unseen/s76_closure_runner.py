"""Evaluation closures built per backbone; the crops are cast inside a list comprehension."""
import torch
import torch.nn as nn
import timm


def make_runner(model):
    model = nn.DataParallel(model.cuda().eval())

    @torch.no_grad()
    def run(crops):
        return torch.stack([model.module(c.unsqueeze(0).bfloat16()) for c in crops])

    return run


runner = make_runner(timm.create_model("vit_base_patch16_224", pretrained=True, num_classes=0))
crops = torch.rand(3, 3, 32, 32, device="cuda")
print(runner(crops).shape)
