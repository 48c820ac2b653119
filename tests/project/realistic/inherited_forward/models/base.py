import torch.nn as nn


class BaseClassifier(nn.Module):
    """Subclasses set self.backbone and self.embed_dim."""

    def build_head(self, num_classes):
        self.head = nn.Linear(self.embed_dim, num_classes)

    def forward(self, x):
        features = self.backbone(x)
        return self.head(features)
