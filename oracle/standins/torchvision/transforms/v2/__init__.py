"""torchvision.transforms.v2 stand-in. As v2: a transform takes any structure (an image, or
(image, label), or a dict) and transforms the images in it (PIL images and tensors of 2+
dims; the first plain tensor counts as the image), passing labels and other values through.
ToImage gives uint8 CHW tensors; ToDtype(dtype, scale=) converts (and scales) them."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import torch
from torch import nn

from torchvision import transforms as _v1
from torchvision.transforms import functional as F
from torchvision.transforms.functional import InterpolationMode  # noqa: F401
from PIL import Image as _PIL


def _is_image(value: Any) -> bool:
    return isinstance(value, _PIL.Image) or (isinstance(value, torch.Tensor) and value.ndim >= 2)


class Transform(nn.Module):
    def _transform(self, image: Any) -> Any:
        return image

    def _apply_to(self, value: Any) -> Any:
        if isinstance(value, (tuple, list)):
            return type(value)(self._apply_to(v) for v in value)
        if isinstance(value, dict):
            return {k: self._apply_to(v) for k, v in value.items()}
        return self._transform(value) if _is_image(value) else value

    def forward(self, *inputs: Any) -> Any:
        return self._apply_to(inputs[0] if len(inputs) == 1 else inputs)


def _wrap(v1_class: type) -> type:
    class Wrapped(Transform):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__()
            self.inner = v1_class(*args, **kwargs)

        def _transform(self, image: Any) -> Any:
            return self.inner(image)

    Wrapped.__name__ = Wrapped.__qualname__ = v1_class.__name__
    return Wrapped


class Compose(Transform):
    def __init__(self, transforms: Sequence[Callable]):
        super().__init__()
        self.transforms = list(transforms)

    def forward(self, *inputs: Any) -> Any:
        value = inputs[0] if len(inputs) == 1 else inputs
        for transform in self.transforms:
            value = transform(value)
        return value


class ToImage(Transform):
    def _transform(self, image: Any) -> Any:
        return F.pil_to_tensor(image) if isinstance(image, _PIL.Image) else torch.as_tensor(image)


PILToTensor = ToImage


class ToPureTensor(Transform):
    pass


class ToDtype(Transform):
    def __init__(self, dtype: Any, scale: bool = False):
        super().__init__()
        self.dtype, self.scale = dtype, scale

    def _transform(self, image: Any) -> Any:
        dtype = self.dtype
        if isinstance(dtype, dict):
            dtype = next((v for k, v in dtype.items() if k != "others"), dtype.get("others"))
            if dtype is None:
                return image
        if isinstance(image, _PIL.Image):
            return image
        return F.to_dtype(image, dtype, scale=self.scale)


class ConvertImageDtype(ToDtype):
    def __init__(self, dtype: torch.dtype = torch.float32):
        super().__init__(dtype, scale=True)


class ToTensor(Transform):
    def _transform(self, image: Any) -> Any:
        return F.to_tensor(image) if isinstance(image, _PIL.Image) else image


class Lambda(Transform):
    def __init__(self, lambd: Callable, *types: type):
        super().__init__()
        self.lambd = lambd

    def _apply_to(self, value: Any) -> Any:
        return self.lambd(value)


Normalize = _wrap(_v1.Normalize)
Resize = _wrap(_v1.Resize)
CenterCrop = _wrap(_v1.CenterCrop)
RandomCrop = _wrap(_v1.RandomCrop)
RandomResizedCrop = _wrap(_v1.RandomResizedCrop)
RandomHorizontalFlip = _wrap(_v1.RandomHorizontalFlip)
RandomVerticalFlip = _wrap(_v1.RandomVerticalFlip)
ColorJitter = _wrap(_v1.ColorJitter)
RandomRotation = _wrap(_v1.RandomRotation)
RandomAffine = _wrap(_v1.RandomAffine)
GaussianBlur = _wrap(_v1.GaussianBlur)
RandomGrayscale = _wrap(_v1.RandomGrayscale)
RandomErasing = _wrap(_v1.RandomErasing)
AutoAugment = _wrap(_v1.AutoAugment)
RandAugment = _wrap(_v1.RandAugment)
TrivialAugmentWide = _wrap(_v1.TrivialAugmentWide)


class RandomApply(Transform):
    def __init__(self, transforms: Sequence[Callable], p: float = 0.5):
        super().__init__()
        self.inner = _v1.RandomApply(transforms, p)

    def forward(self, *inputs: Any) -> Any:
        return self.inner(inputs[0] if len(inputs) == 1 else inputs)
