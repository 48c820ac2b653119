# The model and its input are cast under the same condition: each path is consistent
# (fp32 weights and fp32 input, or bf16 and bf16), so nothing crashes, whichever way the
# branch goes and whatever name the model is cast through.
import os

import timm
import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
model = timm.create_model("resnet50", pretrained=True).to(device).eval()
net = model
images = torch.rand(2, 3, 224, 224).to(device)
if os.environ.get("LOW_PRECISION") == "1":
    net.bfloat16()
    images = images.to(torch.bfloat16)
logits = model(images)


def evaluate(backbone, batch, low_precision):
    if low_precision:
        backbone = backbone.to(torch.bfloat16)
        batch = batch.bfloat16()
    else:
        batch = batch.float()
    return backbone(batch)


scores = evaluate(timm.create_model("convnext_tiny", pretrained=True).to(device), images,
                  os.environ.get("LOW_PRECISION") == "1")
