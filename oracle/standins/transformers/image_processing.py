"""Image processors and BatchFeature. A processor returns float32 ``pixel_values``;
``BatchFeature.to(dtype)`` casts only floating tensors (labels and ids keep their dtype), as
transformers does."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np
import torch

from PIL import Image


class BatchFeature(dict):
    def __init__(self, data: Optional[Dict[str, Any]] = None, tensor_type: Any = None):
        super().__init__(data or {})

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def to(self, *args: Any, **kwargs: Any) -> "BatchFeature":
        device = kwargs.get("device")
        for arg in args:
            if not isinstance(arg, torch.dtype):
                device = arg
        out = {}
        for key, value in self.items():
            if isinstance(value, torch.Tensor):
                if value.is_floating_point():
                    value = value.to(*args, **kwargs)
                elif device is not None:
                    value = value.to(device)
            out[key] = value
        return BatchFeature(out)


class BaseImageProcessor:
    size = 224
    image_mean = [0.485, 0.456, 0.406]
    image_std = [0.229, 0.224, 0.225]

    def __init__(self, **kwargs: Any):
        self.__dict__.update(kwargs)

    @classmethod
    def from_pretrained(cls, name: str, **kwargs: Any) -> "BaseImageProcessor":
        return cls(**kwargs)

    def _one(self, image: Any) -> torch.Tensor:
        if isinstance(image, Image.Image):
            array = np.asarray(image.convert("RGB").resize((self.size, self.size)), dtype=np.float32) / 255.0
            tensor = torch.from_numpy(array).permute(2, 0, 1)
        else:
            tensor = torch.as_tensor(np.asarray(image) if not isinstance(image, torch.Tensor) else image)
            if tensor.ndim == 3 and tensor.shape[-1] in (1, 3) and tensor.shape[0] not in (1, 3):
                tensor = tensor.permute(2, 0, 1)
            tensor = tensor.float() / 255.0 if not tensor.is_floating_point() else tensor.float()
            tensor = torch.nn.functional.interpolate(tensor[None], size=(self.size, self.size), mode="bilinear")[0]
        mean = torch.tensor(self.image_mean).view(-1, 1, 1)
        std = torch.tensor(self.image_std).view(-1, 1, 1)
        return (tensor - mean) / std

    def __call__(self, images: Any = None, return_tensors: Any = None, **kwargs: Any) -> BatchFeature:
        if images is None:
            raise ValueError("You must provide images")
        many: List[Any] = list(images) if isinstance(images, (list, tuple)) else [images]
        if isinstance(images, torch.Tensor) and images.ndim == 4:
            many = list(images)
        return BatchFeature({"pixel_values": torch.stack([self._one(image) for image in many])})

    preprocess = __call__


class AutoImageProcessor(BaseImageProcessor):
    pass


ViTImageProcessor = ConvNextImageProcessor = BitImageProcessor = AutoImageProcessor
ViTFeatureExtractor = AutoFeatureExtractor = CLIPImageProcessor = SiglipImageProcessor = AutoImageProcessor
