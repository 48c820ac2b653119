"""Tiny torchvision-shaped nets: each keeps the real first layer and the attribute names
programs touch (``fc``, ``classifier``, ``heads.head``, ``features``)."""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

from _bf16_oracle.nets import BasicBlock, FeaturesNet, LayerNorm2d, ResNet, _pos_embed_for

__all__ = ["ResNet", "EfficientNet", "MobileNetV3", "DenseNet", "RegNet", "ConvNeXt", "VisionTransformer"]


class EfficientNet(FeaturesNet):
    """Also MobileNetV2: classifier = Sequential(Dropout, Linear)."""


class MobileNetV3(FeaturesNet):
    def __init__(self, num_classes: int = 1000, **kwargs: Any):
        super().__init__(num_classes=num_classes)
        self.classifier = nn.Sequential(nn.Linear(self.num_features, 64), nn.Hardswish(inplace=True),
                                        nn.Dropout(0.2), nn.Linear(64, num_classes))


class DenseNet(FeaturesNet):
    def __init__(self, num_classes: int = 1000, **kwargs: Any):
        super().__init__(num_classes=num_classes)
        self.classifier = nn.Linear(self.num_features, num_classes)


class RegNet(nn.Module):
    def __init__(self, num_classes: int = 1000, **kwargs: Any):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        self.trunk_output = nn.Sequential(BasicBlock(16, 32, 2), BasicBlock(32, 48, 2))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(48, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.avgpool(self.trunk_output(self.stem(x))).flatten(1))


class ConvNeXt(nn.Module):
    def __init__(self, num_classes: int = 1000, dim: int = 32, **kwargs: Any):
        super().__init__()
        self.features = nn.Sequential(
            nn.Sequential(nn.Conv2d(3, dim, kernel_size=4, stride=4), LayerNorm2d(dim, eps=1e-6)),  # bias=True
            nn.Sequential(nn.Conv2d(dim, dim, 7, padding=3, groups=dim), LayerNorm2d(dim, eps=1e-6),
                          nn.Conv2d(dim, dim, 1), nn.GELU()),
        )
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(LayerNorm2d(dim, eps=1e-6), nn.Flatten(1), nn.Linear(dim, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.avgpool(self.features(x)))


class _EncoderBlock(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim, eps=1e-6)
        self.self_attention = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.ln_1(x)
        x = x + self.self_attention(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class _Encoder(nn.Module):
    def __init__(self, tokens: int, dim: int, heads: int, depth: int):
        super().__init__()
        self.pos_embedding = nn.Parameter(torch.randn(1, tokens, dim) * 0.02)
        self.layers = nn.Sequential(*[_EncoderBlock(dim, heads) for _ in range(depth)])
        self.ln = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x: torch.Tensor, grid: tuple) -> torch.Tensor:
        return self.ln(self.layers(x + _pos_embed_for(self.pos_embedding, grid, 1, x.dtype)))


class VisionTransformer(nn.Module):
    """torchvision ViT: conv_proj (Conv2d with bias), class_token, encoder, heads.head. Unlike
    torchvision it accepts any image size (position embeddings are interpolated)."""

    def __init__(self, num_classes: int = 1000, patch_size: int = 16, image_size: int = 224, hidden_dim: int = 64,
                 **kwargs: Any):
        super().__init__()
        self.patch_size, self.image_size, self.hidden_dim = patch_size, image_size, hidden_dim
        self.conv_proj = nn.Conv2d(3, hidden_dim, kernel_size=patch_size, stride=patch_size)
        self.class_token = nn.Parameter(torch.zeros(1, 1, hidden_dim))
        grid = image_size // patch_size
        self.encoder = _Encoder(grid * grid + 1, hidden_dim, 4, 2)
        self.heads = nn.Sequential()
        self.heads.add_module("head", nn.Linear(hidden_dim, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2] // self.patch_size, x.shape[-1] // self.patch_size
        x = self.conv_proj(x).reshape(x.shape[0], self.hidden_dim, h * w).permute(0, 2, 1)
        x = torch.cat([self.class_token.expand(x.shape[0], -1, -1), x], dim=1)
        return self.heads(self.encoder(x, (h, w))[:, 0])


class SwinTransformer(nn.Module):
    """torchvision Swin: features[0] = (Conv2d 4x4 stride 4 WITH bias, Permute, LayerNorm); head."""

    def __init__(self, num_classes: int = 1000, dim: int = 32, **kwargs: Any):
        super().__init__()
        self.features = nn.Sequential(
            nn.Sequential(nn.Conv2d(3, dim, kernel_size=4, stride=4), _Permute(0, 2, 3, 1), nn.LayerNorm(dim)),
            nn.Sequential(nn.Linear(dim, dim), nn.GELU()),
        )
        self.norm = nn.LayerNorm(dim)
        self.permute = _Permute(0, 3, 1, 2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten(1)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.flatten(self.avgpool(self.permute(self.norm(self.features(x))))))


class _Permute(nn.Module):
    def __init__(self, *dims: int):
        super().__init__()
        self.dims = dims

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.permute(*self.dims)


class VGG(nn.Module):
    """VGG/AlexNet: features start with a Conv2d WITH bias; classifier[6] is the last Linear."""

    def __init__(self, num_classes: int = 1000, batch_norm: bool = False, **kwargs: Any):
        super().__init__()
        layers = [nn.Conv2d(3, 16, kernel_size=3, padding=1)]
        layers += [nn.BatchNorm2d(16)] if batch_norm else []
        layers += [nn.ReLU(inplace=True), nn.MaxPool2d(2), nn.Conv2d(16, 32, kernel_size=3, padding=1),
                   nn.ReLU(inplace=True), nn.MaxPool2d(2)]
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((2, 2))
        self.classifier = nn.Sequential(nn.Linear(32 * 4, 64), nn.ReLU(True), nn.Dropout(), nn.Linear(64, 64),
                                        nn.ReLU(True), nn.Dropout(), nn.Linear(64, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class SqueezeNet(nn.Module):
    """features[0] is a Conv2d WITH bias; the classifier is a 1x1 conv."""

    def __init__(self, num_classes: int = 1000, **kwargs: Any):
        super().__init__()
        self.num_classes = num_classes
        self.features = nn.Sequential(nn.Conv2d(3, 32, kernel_size=3, stride=2), nn.ReLU(inplace=True),
                                      nn.MaxPool2d(3, 2, ceil_mode=True))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(32, num_classes, 1), nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.flatten(self.classifier(self.features(x)), 1)


class ShuffleNetV2(nn.Module):
    """conv1 = (Conv2d without bias, BatchNorm, ReLU); fc."""

    def __init__(self, num_classes: int = 1000, **kwargs: Any):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(inplace=True))
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.conv5 = nn.Sequential(nn.Conv2d(24, 64, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True))
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.conv5(self.maxpool(self.conv1(x))).mean([2, 3]))
