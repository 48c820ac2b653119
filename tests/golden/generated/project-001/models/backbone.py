import torch


def create_encoder():
    net = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14_reg")
    return net.eval()
