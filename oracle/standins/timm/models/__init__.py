from __future__ import annotations

import fnmatch
from typing import Any, List, Optional

from torch import nn

from _bf16_oracle import nets
from _bf16_oracle.nets import ConvNeXt, FeaturesNet, ResNet, VisionTransformer  # noqa: F401

_KNOWN = ["vit_small_patch16_224", "vit_base_patch16_224", "vit_large_patch16_224", "vit_base_patch14_dinov2",
          "vit_small_patch14_dinov2", "deit_small_patch16_224", "deit_base_patch16_224", "eva02_base_patch14_224",
          "convnext_tiny", "convnext_small", "convnext_base", "resnet18", "resnet34", "resnet50", "resnet101",
          "efficientnet_b0", "efficientnet_b3", "tf_efficientnet_b0", "regnety_016", "mobilenetv3_large_100"]


def _base_name(model_name: str) -> str:
    name = model_name.split(":", 1)[-1]
    name = name.split("/")[-1]
    return name.split(".")[0]  # "vit_base_patch16_224.augreg_in21k" -> architecture


def is_model(model_name: str) -> bool:
    return bool(nets.family(_base_name(model_name)))


def list_models(filter: str = "", pretrained: bool = False, **_: Any) -> List[str]:  # noqa: A002
    return [name for name in _KNOWN if not filter or fnmatch.fnmatch(name, filter)]


def create_model(model_name: str, pretrained: bool = False, num_classes: Optional[int] = None,
                 global_pool: Optional[str] = None, **kwargs: Any) -> nn.Module:
    name = _base_name(model_name)
    if kwargs.get("features_only"):
        raise NotImplementedError("oracle stand-in: timm features_only models are not provided")
    if not nets.family(name):
        raise RuntimeError(f"Unknown model ({model_name})")
    model = nets.build(name, num_classes=1000 if num_classes is None else num_classes)
    if global_pool is not None and hasattr(model, "global_pool"):
        model.global_pool = global_pool
    size = 518 if "dinov2" in name else 224
    cfg = dict(nets.PRETRAINED_CFG, architecture=name, input_size=(3, size, size))
    model.pretrained_cfg = model.default_cfg = cfg
    return model
