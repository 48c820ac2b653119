import open_clip
import torch


def build_backbone():
    net = open_clip.create_model("ViT-B-32", pretrained="laion2b_s34b_b79k")
    return net.eval()
