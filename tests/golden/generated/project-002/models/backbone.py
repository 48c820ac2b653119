import timm
import torch


def create_encoder():
    net = timm.create_model("vit_base_patch16_224", pretrained=True)
    return net.eval()
