# A helper casts the model under a parameter only; the input is bf16 on every path, so
# the path where the flag is off crashes.
import os
import timm
import torch


def setup(model, low):
    if low:
        model.bfloat16()
    return model


model = timm.create_model("resnet50", pretrained=True)
setup(model, os.environ.get("LOW") == "1")
x = torch.rand(1, 3, 224, 224).bfloat16()
model(x)  # expect: BFD001
