"""torchvision.io stand-in: read_image/decode_image give a synthetic uint8 (C, H, W) image."""
from __future__ import annotations

from enum import Enum
from typing import Any

import torch
from PIL import Image

from torchvision.transforms.functional import pil_to_tensor


class ImageReadMode(Enum):
    UNCHANGED = 0
    GRAY = 1
    RGB = 3


def read_image(path: Any, mode: ImageReadMode = ImageReadMode.UNCHANGED, **_: Any) -> torch.Tensor:
    image = Image.open(str(path))
    return pil_to_tensor(image.convert("L") if mode == ImageReadMode.GRAY else image)


decode_image = decode_jpeg = read_image
