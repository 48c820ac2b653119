"""Tiny random-init backbones whose first layers are the real kinds, so a wrong input dtype
fails with the real message (RUNTIME.md): a ViT with a conv patch embed WITH bias, ConvNeXt
with a biased conv stem, and ResNet/EfficientNet/RegNet/MobileNet-like nets with a
bias-free conv stem and BatchNorm. Every net pools adaptively and interpolates its position
embeddings, so small synthetic images (32x32 and up) work."""
from __future__ import annotations

import math
from typing import Any, Dict, Optional

import torch
import torch.nn.functional as F
from torch import nn


def _pos_embed_for(pos_embed: torch.Tensor, grid: tuple, prefix: int, dtype: torch.dtype) -> torch.Tensor:
    """Position embeddings for a ``grid`` of patches, interpolated in float32 and cast back
    to the token dtype (as DINOv2 and timm's dynamic_img_size do)."""
    stored = pos_embed.shape[1] - prefix
    side = int(math.sqrt(stored))
    if (side, side) == tuple(grid):
        return pos_embed
    patches = pos_embed[:, prefix:].float().reshape(1, side, side, -1).permute(0, 3, 1, 2)
    patches = F.interpolate(patches, size=grid, mode="bicubic", align_corners=False)
    patches = patches.permute(0, 2, 3, 1).reshape(1, grid[0] * grid[1], -1)
    return torch.cat((pos_embed[:, :prefix].float(), patches), dim=1).to(dtype)


class PatchEmbed(nn.Module):
    def __init__(self, patch_size: int, embed_dim: int, in_chans: int = 3):
        super().__init__()
        self.patch_size = (patch_size, patch_size)
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)  # bias=True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x).flatten(2).transpose(1, 2)


class Block(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, N, C = x.shape
        q, k, v = self.qkv(self.norm1(x)).reshape(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        attn = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(B, N, C)
        x = x + self.proj(attn)
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    """timm's VisionTransformer surface: forward_features -> tokens, forward_head, head."""

    def __init__(self, img_size: int = 224, patch_size: int = 16, embed_dim: int = 64, depth: int = 2,
                 num_heads: int = 4, num_classes: int = 1000, global_pool: str = "token", **_: Any):
        super().__init__()
        self.patch_size = patch_size
        self.num_features = self.embed_dim = embed_dim
        self.num_classes = num_classes
        self.global_pool = global_pool
        self.num_prefix_tokens = 1
        self.patch_embed = PatchEmbed(patch_size, embed_dim)
        grid = max(img_size // patch_size, 1)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.randn(1, grid * grid + 1, embed_dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(embed_dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head = nn.Linear(embed_dim, num_classes) if num_classes else nn.Identity()

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        H, W = x.shape[-2:]
        x = self.patch_embed(x)
        x = torch.cat((self.cls_token.expand(x.shape[0], -1, -1).to(x.dtype), x), dim=1)
        x = x + _pos_embed_for(self.pos_embed, (H // self.patch_size, W // self.patch_size), 1, x.dtype)
        return self.norm(self.blocks(x))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = x[:, 1:].mean(dim=1) if self.global_pool == "avg" else x[:, 0]
        return x if pre_logits else self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))

    def get_classifier(self) -> nn.Module:
        return self.head

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        if global_pool is not None:
            self.global_pool = global_pool
        self.head = nn.Linear(self.embed_dim, num_classes) if num_classes else nn.Identity()


class BasicBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                           if stride != 1 or cin != cout else None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + identity)


class ResNet(nn.Module):
    """torchvision/timm ResNet surface: conv1 (7x7, stride 2, no bias) + bn1 + relu + maxpool,
    layer1..4, avgpool, fc. timm's forward_features returns the feature map."""

    def __init__(self, num_classes: int = 1000, widths=(8, 16, 32, 64), **_: Any):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = self.act1 = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        cin = widths[0]
        for index, width in enumerate(widths, start=1):
            setattr(self, f"layer{index}", BasicBlock(cin, width, 1 if index == 1 else 2))
            cin = width
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.num_features = cin
        self.num_classes = num_classes
        self.fc = nn.Linear(cin, num_classes) if num_classes else nn.Identity()

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = torch.flatten(self.avgpool(x), 1)
        return x if pre_logits else self.fc(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))

    def get_classifier(self) -> nn.Module:
        return self.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.fc = nn.Linear(self.num_features, num_classes) if num_classes else nn.Identity()


class FeaturesNet(nn.Module):
    """torchvision EfficientNet/MobileNet/RegNet-like surface: ``features`` (a bias-free conv
    stem + BatchNorm + activation first), ``avgpool``, ``classifier`` (Dropout, Linear)."""

    def __init__(self, num_classes: int = 1000, width: int = 32, **_: Any):
        super().__init__()
        self.features = nn.Sequential(
            nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.SiLU(inplace=True)),
            nn.Sequential(nn.Conv2d(16, 16, 3, 1, 1, groups=16, bias=False), nn.BatchNorm2d(16), nn.SiLU(inplace=True)),
            nn.Sequential(nn.Conv2d(16, width, 1, bias=False), nn.BatchNorm2d(width), nn.SiLU(inplace=True)),
        )
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.num_features = width
        self.num_classes = num_classes
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(width, num_classes))

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = torch.flatten(self.avgpool(x), 1)
        return x if pre_logits else self.classifier(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))

    def get_classifier(self) -> nn.Module:
        return self.classifier

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(self.num_features, num_classes)) if num_classes else nn.Identity()


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXt(nn.Module):
    """ConvNeXt: a 4x4 stride-4 conv stem WITH bias + LayerNorm2d, a depthwise block, a head."""

    def __init__(self, num_classes: int = 1000, dim: int = 32, **_: Any):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dim, kernel_size=4, stride=4), LayerNorm2d(dim, eps=1e-6))
        self.stages = nn.Sequential(nn.Sequential(
            nn.Conv2d(dim, dim, 7, padding=3, groups=dim), LayerNorm2d(dim, eps=1e-6), nn.Conv2d(dim, dim, 1), nn.GELU()))
        self.num_features = dim
        self.num_classes = num_classes
        self.head = nn.Module()
        self.head.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head.fc = nn.Linear(dim, num_classes) if num_classes else nn.Identity()

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.stages(self.stem(x))

    def forward_head(self, x: torch.Tensor, pre_logits: bool = False) -> torch.Tensor:
        x = self.head.norm(x.mean((-2, -1)))
        return x if pre_logits else self.head.fc(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))

    def get_classifier(self) -> nn.Module:
        return self.head.fc

    def reset_classifier(self, num_classes: int, global_pool: Optional[str] = None) -> None:
        self.num_classes = num_classes
        self.head.fc = nn.Linear(self.num_features, num_classes) if num_classes else nn.Identity()


def family(name: str) -> str:
    """The tiny net family a model name stands for."""
    lowered = name.lower().split("/")[-1]
    if any(key in lowered for key in ("convnext",)):
        return "convnext"
    if any(key in lowered for key in ("vit", "deit", "eva", "beit", "swin", "dino", "clip", "siglip")):
        return "vit"
    if any(key in lowered for key in ("resnet", "resnext", "wide_resnet", "wrn")):
        return "resnet"
    if any(key in lowered for key in ("efficientnet", "mobilenet", "regnet", "mnasnet", "densenet", "vgg",
                                      "squeezenet", "shufflenet", "convnet", "ghostnet", "inception")):
        return "features"
    return ""


def build(name: str, num_classes: int = 1000, **kwargs: Any) -> nn.Module:
    kind = family(name)
    if kind == "vit":
        patch = 14 if "14" in name.split("patch")[-1][:3] or "dinov2" in name else 16
        return VisionTransformer(patch_size=patch, num_classes=num_classes, **kwargs)
    if kind == "convnext":
        return ConvNeXt(num_classes=num_classes)
    if kind == "resnet":
        return ResNet(num_classes=num_classes)
    if kind == "features":
        return FeaturesNet(num_classes=num_classes)
    raise RuntimeError(f"oracle stand-in: unknown model name {name!r}")


PRETRAINED_CFG: Dict[str, Any] = {
    "input_size": (3, 224, 224), "interpolation": "bicubic", "crop_pct": 0.875,
    "mean": (0.485, 0.456, 0.406), "std": (0.229, 0.224, 0.225), "num_classes": 1000,
}
