import torch
from transformers import Dinov2Model


def create_encoder():
    net = Dinov2Model.from_pretrained("facebook/dinov2-small")
    return net.eval()
