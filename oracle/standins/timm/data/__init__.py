"""timm.data: resolve_data_config / create_transform build torchvision transforms (stand-in)."""
from __future__ import annotations

from typing import Any, Dict, Optional

IMAGENET_DEFAULT_MEAN = (0.485, 0.456, 0.406)
IMAGENET_DEFAULT_STD = (0.229, 0.224, 0.225)
OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def resolve_data_config(args: Optional[Dict[str, Any]] = None, pretrained_cfg: Optional[Dict[str, Any]] = None,
                        model: Any = None, **_: Any) -> Dict[str, Any]:
    cfg = dict(getattr(model, "pretrained_cfg", None) or pretrained_cfg or {})
    config = {"input_size": cfg.get("input_size", (3, 224, 224)), "interpolation": cfg.get("interpolation", "bicubic"),
              "mean": cfg.get("mean", IMAGENET_DEFAULT_MEAN), "std": cfg.get("std", IMAGENET_DEFAULT_STD),
              "crop_pct": cfg.get("crop_pct", 0.875), "crop_mode": "center"}
    config.update({k: v for k, v in (args or {}).items() if k in config and v is not None})
    return config


resolve_model_data_config = resolve_data_config


def create_transform(input_size: Any = 224, is_training: bool = False, mean=IMAGENET_DEFAULT_MEAN,
                     std=IMAGENET_DEFAULT_STD, crop_pct: float = 0.875, **_: Any):
    """As timm: PIL image -> float32 normalized tensor (Resize, CenterCrop, ToTensor, Normalize)."""
    from torchvision import transforms

    size = input_size[-1] if isinstance(input_size, (tuple, list)) else input_size
    if is_training:
        steps = [transforms.RandomResizedCrop(size), transforms.RandomHorizontalFlip()]
    else:
        steps = [transforms.Resize(int(size / crop_pct)), transforms.CenterCrop(size)]
    return transforms.Compose(steps + [transforms.ToTensor(), transforms.Normalize(mean, std)])
