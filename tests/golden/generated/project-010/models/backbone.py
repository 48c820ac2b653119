import torch
from transformers import ViTModel


def create_encoder():
    net = ViTModel.from_pretrained("google/vit-base-patch16-224")
    return net.eval()
