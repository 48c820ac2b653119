"""torchvision.transforms (v1) stand-in: the common transforms with torchvision's dtype
behaviour (Normalize keeps the dtype, ConvertImageDtype scales ints, ToTensor gives the default
float dtype). Photometric/geometric augmentations that cannot change a dtype are identities."""
from __future__ import annotations

import math
import random
from typing import Any, Callable, Sequence

import torch
from torch import nn

from torchvision.transforms import functional
from torchvision.transforms.functional import InterpolationMode

F = functional


class Compose:
    def __init__(self, transforms: Sequence[Callable]):
        self.transforms = list(transforms)

    def __call__(self, img: Any) -> Any:
        for transform in self.transforms:
            img = transform(img)
        return img

    def __repr__(self) -> str:
        return "Compose(" + ", ".join(type(t).__name__ for t in self.transforms) + ")"


class ToTensor:
    def __call__(self, pic: Any) -> torch.Tensor:
        return F.to_tensor(pic)


class PILToTensor:
    def __call__(self, pic: Any) -> torch.Tensor:
        return F.pil_to_tensor(pic)


class ToPILImage:
    def __init__(self, mode: Any = None):
        self.mode = mode

    def __call__(self, pic: Any) -> Any:
        return F.to_pil_image(pic, self.mode)


class Lambda:
    def __init__(self, lambd: Callable):
        self.lambd = lambd

    def __call__(self, img: Any) -> Any:
        return self.lambd(img)


class Normalize(nn.Module):
    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False):
        super().__init__()
        self.mean, self.std, self.inplace = list(mean), list(std), inplace

    def forward(self, tensor: torch.Tensor) -> torch.Tensor:
        return F.normalize(tensor, self.mean, self.std, self.inplace)


class ConvertImageDtype(nn.Module):
    def __init__(self, dtype: torch.dtype):
        super().__init__()
        self.dtype = dtype

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return F.convert_image_dtype(image, self.dtype)


class Resize(nn.Module):
    def __init__(self, size: Any, interpolation: Any = InterpolationMode.BILINEAR, max_size: Any = None,
                 antialias: Any = True):
        super().__init__()
        self.size, self.interpolation, self.max_size, self.antialias = size, interpolation, max_size, antialias

    def forward(self, img: Any) -> Any:
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)


class CenterCrop(nn.Module):
    def __init__(self, size: Any):
        super().__init__()
        self.size = size

    def forward(self, img: Any) -> Any:
        return F.center_crop(img, self.size)


class RandomCrop(nn.Module):
    def __init__(self, size: Any, padding: Any = None, pad_if_needed: bool = False, **_: Any):
        super().__init__()
        self.size = (size, size) if isinstance(size, int) else tuple(size)

    def forward(self, img: Any) -> Any:
        width, height = F.get_image_size(img)
        top = random.randint(0, max(height - self.size[0], 0))
        left = random.randint(0, max(width - self.size[1], 0))
        return F.crop(img, top, left, self.size[0], self.size[1])


class RandomResizedCrop(nn.Module):
    def __init__(self, size: Any, scale: Sequence[float] = (0.08, 1.0), ratio: Sequence[float] = (3 / 4, 4 / 3),
                 interpolation: Any = InterpolationMode.BILINEAR, antialias: Any = True):
        super().__init__()
        self.size = (size, size) if isinstance(size, int) else tuple(size)
        self.scale, self.ratio, self.interpolation, self.antialias = scale, ratio, interpolation, antialias

    def forward(self, img: Any) -> Any:
        width, height = F.get_image_size(img)
        area = width * height * random.uniform(*self.scale)
        aspect = math.exp(random.uniform(math.log(self.ratio[0]), math.log(self.ratio[1])))
        w = min(max(int(round(math.sqrt(area * aspect))), 1), width)
        h = min(max(int(round(math.sqrt(area / aspect))), 1), height)
        top, left = random.randint(0, height - h), random.randint(0, width - w)
        return F.resized_crop(img, top, left, h, w, list(self.size), self.interpolation, antialias=self.antialias)


class RandomHorizontalFlip(nn.Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        self.p = p

    def forward(self, img: Any) -> Any:
        return F.hflip(img) if random.random() < self.p else img


class RandomVerticalFlip(RandomHorizontalFlip):
    def forward(self, img: Any) -> Any:
        return F.vflip(img) if random.random() < self.p else img


class RandomApply(nn.Module):
    def __init__(self, transforms: Sequence[Callable], p: float = 0.5):
        super().__init__()
        self.transforms, self.p = list(transforms), p

    def forward(self, img: Any) -> Any:
        if random.random() < self.p:
            for transform in self.transforms:
                img = transform(img)
        return img


class _Identity(nn.Module):
    """Augmentations that move pixel values but never change a dtype: identities here."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__()

    def forward(self, img: Any) -> Any:
        return img


class ColorJitter(_Identity):
    pass


class RandomRotation(_Identity):
    pass


class RandomAffine(_Identity):
    pass


class GaussianBlur(_Identity):
    pass


class RandomGrayscale(_Identity):
    pass


class RandomErasing(_Identity):
    pass


class AutoAugment(_Identity):
    pass


class RandAugment(_Identity):
    pass


class TrivialAugmentWide(_Identity):
    pass


class RandomSolarize(_Identity):
    pass


class RandomAutocontrast(_Identity):
    pass
