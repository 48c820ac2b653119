import torch

from .base import BaseClassifier


class DinoClassifier(BaseClassifier):
    def __init__(self, arch="dinov2_vits14", num_classes=5):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", arch)
        self.embed_dim = self.backbone.embed_dim
        self.build_head(num_classes)
