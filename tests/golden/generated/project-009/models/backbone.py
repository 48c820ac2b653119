import timm
import torch


def build_backbone():
    net = timm.create_model("convnext_tiny", pretrained=True)
    return net.eval()
