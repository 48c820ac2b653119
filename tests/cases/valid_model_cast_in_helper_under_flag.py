# A helper casts the model and the input under the same parameter; the caller passes one
# flag: both paths are consistent (fp32/fp32 or bf16/bf16), so nothing crashes.
import os
import timm
import torch


def setup(model, x, low):
    if low:
        model.bfloat16()
        x = x.bfloat16()
    return x


model = timm.create_model("resnet50", pretrained=True)
x = setup(model, torch.rand(1, 3, 224, 224), os.environ.get("LOW") == "1")
model(x)
