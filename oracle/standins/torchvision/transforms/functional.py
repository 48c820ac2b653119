"""torchvision.transforms.functional with torchvision's dtype rules: to_tensor scales uint8 to
the default float dtype, normalize keeps the input dtype, convert_image_dtype scales ints,
tensor resize computes in the input's float dtype (antialias=True, as torchvision's default)."""
from __future__ import annotations

import enum
from typing import Any, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image as _PIL


class InterpolationMode(enum.Enum):
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


def _is_pil(img: Any) -> bool:
    return isinstance(img, _PIL.Image)


def get_image_size(img: Any) -> List[int]:
    if _is_pil(img):
        return list(img.size)
    return [img.shape[-1], img.shape[-2]]


def get_dimensions(img: Any) -> List[int]:
    if _is_pil(img):
        return [len(img.getbands()), img.height, img.width]
    return [img.shape[-3] if img.ndim > 2 else 1, img.shape[-2], img.shape[-1]]


def pil_to_tensor(pic: Any) -> torch.Tensor:
    array = np.asarray(pic)
    if array.ndim == 2:
        array = array[:, :, None]
    return torch.from_numpy(np.ascontiguousarray(array.transpose(2, 0, 1)))


def to_tensor(pic: Any) -> torch.Tensor:
    if isinstance(pic, np.ndarray):
        array = pic[:, :, None] if pic.ndim == 2 else pic
        tensor = torch.from_numpy(np.ascontiguousarray(array.transpose(2, 0, 1)))
        return tensor.to(torch.get_default_dtype()).div(255) if tensor.dtype == torch.uint8 else tensor
    return pil_to_tensor(pic).to(dtype=torch.get_default_dtype()).div(255)


def to_pil_image(pic: Any, mode: Optional[str] = None) -> _PIL.Image:
    if isinstance(pic, torch.Tensor):
        if pic.is_floating_point():
            pic = pic.float().mul(255).clamp(0, 255).byte()
        array = pic.numpy().transpose(1, 2, 0) if pic.ndim == 3 else pic.numpy()
    else:
        array = np.asarray(pic)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    return _PIL.fromarray(array, mode)


_MAX = {torch.uint8: 255, torch.int8: 127, torch.int16: 32767, torch.int32: 2**31 - 1, torch.int64: 2**63 - 1}


def convert_image_dtype(image: torch.Tensor, dtype: torch.dtype = torch.float) -> torch.Tensor:
    if image.dtype == dtype:
        return image
    if image.is_floating_point():
        if torch.tensor(0, dtype=dtype).is_floating_point():
            return image.to(dtype)
        return image.mul(_MAX[dtype] + 1.0 - 1e-3).to(dtype)
    if torch.tensor(0, dtype=dtype).is_floating_point():
        return image.to(dtype).div_(_MAX[image.dtype])
    return image.to(dtype)


def to_dtype(image: torch.Tensor, dtype: torch.dtype = torch.float, scale: bool = False) -> torch.Tensor:
    return convert_image_dtype(image, dtype) if scale else image.to(dtype)


def normalize(tensor: torch.Tensor, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> torch.Tensor:
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    mean = torch.as_tensor(mean, dtype=tensor.dtype, device=tensor.device)
    std = torch.as_tensor(std, dtype=tensor.dtype, device=tensor.device)
    if mean.ndim == 1:
        mean = mean.view(-1, 1, 1)
    if std.ndim == 1:
        std = std.view(-1, 1, 1)
    return tensor.sub_(mean).div_(std) if inplace else tensor.sub(mean).div(std)


def _output_size(width: int, height: int, size: Any, max_size: Optional[int] = None) -> List[int]:
    if isinstance(size, (list, tuple)) and len(size) == 2:
        return [int(size[0]), int(size[1])]  # (h, w)
    target = int(size[0] if isinstance(size, (list, tuple)) else size)
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = target, int(target * long / short)
    if max_size is not None and new_long > max_size:
        new_short, new_long = int(max_size * new_short / new_long), max_size
    return [new_long, new_short] if width <= height else [new_short, new_long]


def resize(img: Any, size: Any, interpolation: Any = InterpolationMode.BILINEAR, max_size: Optional[int] = None,
           antialias: Optional[bool] = True) -> Any:
    width, height = get_image_size(img)
    out_h, out_w = _output_size(width, height, size, max_size)
    if _is_pil(img):
        return img.resize((out_w, out_h))
    mode = interpolation.value if isinstance(interpolation, InterpolationMode) else "bilinear"
    mode = mode if mode in ("nearest", "nearest-exact", "bilinear", "bicubic") else "bilinear"
    squeeze = img.ndim == 3
    batch = img.unsqueeze(0) if squeeze else img
    original = batch.dtype
    if not batch.is_floating_point():  # as torchvision: ints are resized in float32, rounded back
        batch = batch.float()
    smooth = mode in ("bilinear", "bicubic")
    out = F.interpolate(batch, size=[out_h, out_w], mode=mode, align_corners=False if smooth else None,
                        antialias=bool(antialias) and smooth)
    if not original.is_floating_point:  # a torch.dtype property, not a method
        out = out.round_().clamp_(0, 255).to(original)
    return out.squeeze(0) if squeeze else out


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    if _is_pil(img):
        return img.crop((left, top, left + width, top + height))
    h, w = img.shape[-2:]
    if top < 0 or left < 0 or top + height > h or left + width > w:
        pad = [max(-left, 0), max(left + width - w, 0), max(-top, 0), max(top + height - h, 0)]
        img = F.pad(img, pad)
        top, left = max(top, 0), max(left, 0)
    return img[..., top:top + height, left:left + width]


def center_crop(img: Any, output_size: Any) -> Any:
    if isinstance(output_size, int):
        output_size = (output_size, output_size)
    elif len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    width, height = get_image_size(img)
    crop_h, crop_w = int(output_size[0]), int(output_size[1])
    return crop(img, int(round((height - crop_h) / 2.0)), int(round((width - crop_w) / 2.0)), crop_h, crop_w)


def resized_crop(img: Any, top: int, left: int, height: int, width: int, size: Any,
                 interpolation: Any = InterpolationMode.BILINEAR, antialias: Optional[bool] = True) -> Any:
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def hflip(img: Any) -> Any:
    return img.transpose(_PIL.FLIP_LEFT_RIGHT) if _is_pil(img) else img.flip(-1)


def vflip(img: Any) -> Any:
    return img.transpose(_PIL.FLIP_TOP_BOTTOM) if _is_pil(img) else img.flip(-2)


horizontal_flip, vertical_flip = hflip, vflip
