import torch


def build_backbone():
    net = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14")
    return net.eval()
