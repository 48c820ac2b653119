"""Weights enums (``ResNet50_Weights.DEFAULT``, ``.transforms()``, ``.meta``) and the model
registry behind get_model / list_models."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Dict, List

import torch
from torch import nn

from torchvision.transforms import functional as F

IMAGENET_CATEGORIES = [f"class_{i}" for i in range(1000)]
VOC_CATEGORIES = ["__background__"] + [f"voc_{i}" for i in range(1, 21)]


class ImageClassification(nn.Module):
    """torchvision's classification preset: resize, crop, to float32 (scaling ints), normalize.
    Its output is float32 whatever the input dtype (convert_image_dtype)."""

    def __init__(self, *, crop_size: int, resize_size: int = 256, mean=(0.485, 0.456, 0.406),
                 std=(0.229, 0.224, 0.225), interpolation=F.InterpolationMode.BILINEAR, antialias: bool = True):
        super().__init__()
        self.crop_size, self.resize_size = [crop_size], [resize_size]
        self.mean, self.std, self.interpolation, self.antialias = list(mean), list(std), interpolation, antialias

    def forward(self, img: Any) -> torch.Tensor:
        img = F.resize(img, self.resize_size, interpolation=self.interpolation, antialias=self.antialias)
        img = F.center_crop(img, self.crop_size)
        if not isinstance(img, torch.Tensor):
            img = F.pil_to_tensor(img)
        img = F.convert_image_dtype(img, torch.float)
        return F.normalize(img, mean=self.mean, std=self.std)


class SemanticSegmentation(ImageClassification):
    def __init__(self, *, resize_size: int = 520, **kwargs: Any):
        super().__init__(crop_size=resize_size, resize_size=resize_size, **kwargs)


@dataclass(frozen=True)
class Weights:
    url: str
    transforms: Callable[..., nn.Module]
    meta: Dict[str, Any] = field(default_factory=dict)


class WeightsEnum(enum.Enum):
    @classmethod
    def verify(cls, obj: Any) -> Any:
        if obj is None or isinstance(obj, cls):
            return obj
        if isinstance(obj, str):
            return cls[obj.replace(cls.__name__ + ".", "")]
        raise TypeError(f"Invalid Weight class provided; expected {cls.__name__} but received {obj.__class__.__name__}.")

    def get_state_dict(self, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        raise RuntimeError("oracle: nothing is downloaded (Weights.get_state_dict)")

    def __getattr__(self, name: str) -> Any:
        if name in ("url", "transforms", "meta"):
            return getattr(self.value, name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}.{self._name_}"


def weights_enum(name: str, crop: int = 224, resize: int = 256, versions: int = 1, segmentation: bool = False) -> type:
    preset = (partial(SemanticSegmentation, resize_size=520) if segmentation
              else partial(ImageClassification, crop_size=crop, resize_size=resize))
    categories = VOC_CATEGORIES if segmentation else IMAGENET_CATEGORIES
    members = {f"{'COCO_WITH_VOC_LABELS' if segmentation else 'IMAGENET1K'}_V{v}":
               Weights(f"https://download.pytorch.org/models/{name.lower()}_v{v}.pth", preset,
                       {"categories": categories, "num_params": 0, "min_size": (1, 1)})
               for v in range(1, versions + 1)}
    members["DEFAULT"] = members[list(members)[-1]]
    return WeightsEnum(name, members)


REGISTRY: Dict[str, Callable[..., nn.Module]] = {}
WEIGHTS: Dict[str, type] = {}


def register(name: str, weights: type, builder: Callable[..., nn.Module], num_classes: int = 1000) -> Callable[..., nn.Module]:
    """A torchvision-style constructor: ``name(weights=None, progress=True, **kwargs)``
    (``pretrained=True`` still accepted, as the legacy interface does)."""

    def constructor(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> nn.Module:
        if kwargs.pop("pretrained", False) and weights is None:
            weights = weights_class.DEFAULT
        kwargs.pop("weights_backbone", None)
        kwargs.pop("aux_loss", None)
        weights = weights_class.verify(weights)
        if weights is not None and "num_classes" in kwargs and kwargs["num_classes"] != len(weights.meta["categories"]):
            raise ValueError(f"The parameter 'num_classes' expected value {len(weights.meta['categories'])} "
                             f"but got {kwargs['num_classes']} instead.")
        return builder(num_classes=kwargs.pop("num_classes", num_classes), **kwargs)

    weights_class = weights
    constructor.__name__ = name
    REGISTRY[name] = constructor
    WEIGHTS[name] = weights
    return constructor


def get_model(name: str, **config: Any) -> nn.Module:
    if name.lower() not in REGISTRY:
        raise ValueError(f"Unknown model {name}")
    return REGISTRY[name.lower()](**config)


def get_model_weights(name: Any) -> type:
    return WEIGHTS[name if isinstance(name, str) else name.__name__]


def get_weight(name: str) -> Any:
    enum_name, member = name.split(".")
    for weights in WEIGHTS.values():
        if weights.__name__ == enum_name:
            return weights[member]
    raise ValueError(f"Unknown weight enum name {name!r}")


def list_models(module: Any = None, include: Any = None, exclude: Any = None) -> List[str]:
    return sorted(REGISTRY)
