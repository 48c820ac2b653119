"""Feature extraction where the batch follows the backbone's parameter dtype (negative)."""
import torch
import torch.nn as nn
from torchvision.models import convnext_tiny, ConvNeXt_Tiny_Weights


class FeatureExtractor(nn.Module):
    def __init__(self):
        super().__init__()
        net = convnext_tiny(weights=ConvNeXt_Tiny_Weights.DEFAULT)
        self.features = net.features
        self.pool = nn.AdaptiveAvgPool2d(1)

    @property
    def param(self):
        return next(self.parameters())

    def forward(self, x):
        return self.pool(self.features(x)).flatten(1)


def iterate(n, bf16=True):
    for _ in range(n):
        x = torch.rand(2, 3, 32, 32)
        yield x.bfloat16() if bf16 else x


def main():
    device = "cuda"
    extractor = FeatureExtractor().to(device).eval()
    out = []
    with torch.no_grad():
        for x in iterate(3):
            x = x.to(device).type_as(extractor.param)
            out.append(extractor(x))
    feats = torch.cat(out)
    print(feats.shape, feats.dtype)


if __name__ == "__main__":
    main()
