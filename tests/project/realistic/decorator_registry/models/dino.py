import torch

from .registry import register_model


@register_model("dinov2_s")
def dinov2_small(pretrained=True):
    return torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
