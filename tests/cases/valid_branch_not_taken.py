# The bf16 branch is not the one taken for this call.
import torch
from types import SimpleNamespace

config = SimpleNamespace(training=SimpleNamespace(use_bf16=False))
backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")


def prepare(x, for_llm):
    if for_llm:
        x = x.to(torch.bfloat16)
    return x


images = prepare(torch.rand(2, 3, 224, 224), for_llm=False)
backbone(images)

dtype = torch.bfloat16 if config.training.use_bf16 else torch.float32
backbone(torch.rand(2, 3, 224, 224).to(dtype))

if False:
    images = images.bfloat16()
backbone(images)

llm_input = images.to(torch.bfloat16)
