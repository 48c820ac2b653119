# A model built and cast inside a loop, a try or an if exists only on the paths that made
# it, already cast: the heap keeps what a path made (it is not joined with an older,
# uncast state), so the bf16 input matches the bf16 weights everywhere.
import os

import timm
import torch

x = torch.rand(2, 3, 224, 224).cuda().to(torch.bfloat16)
for name in ["resnet50", "convnext_tiny"]:
    m = timm.create_model(name, pretrained=True).cuda().to(torch.bfloat16)
    m(x)
m(x)
try:
    n = timm.create_model("resnet50", pretrained=True).cuda().to(torch.bfloat16)
except RuntimeError:
    raise
n(x)
if os.environ.get("EXTRA_MODEL"):
    k = timm.create_model("resnet50", pretrained=True).cuda()
    k.bfloat16()
    k(x)
