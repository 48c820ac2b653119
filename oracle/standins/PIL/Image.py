"""PIL.Image stand-in: images are numpy uint8 arrays (H, W) or (H, W, C). ``open`` never reads
the file: it makes a deterministic synthetic RGB image (80x64) named after the path."""
from __future__ import annotations

import enum
import zlib
from typing import Any, Optional, Tuple

import numpy as np


class Resampling(enum.IntEnum):
    NEAREST = 0
    LANCZOS = 1
    BILINEAR = 2
    BICUBIC = 3
    BOX = 4
    HAMMING = 5


class Transpose(enum.IntEnum):
    FLIP_LEFT_RIGHT = 0
    FLIP_TOP_BOTTOM = 1


NEAREST, LANCZOS, BILINEAR, BICUBIC, BOX, HAMMING = (member for member in Resampling)
ANTIALIAS = LANCZOS
FLIP_LEFT_RIGHT, FLIP_TOP_BOTTOM = Transpose.FLIP_LEFT_RIGHT, Transpose.FLIP_TOP_BOTTOM
_BANDS = {"RGB": 3, "RGBA": 4, "L": 1, "1": 1, "P": 1, "I": 1, "F": 1}


class Image:
    def __init__(self, array: np.ndarray, mode: str):
        self._array = array
        self.mode = mode
        self.info: dict = {}
        self.format: Optional[str] = None

    @property
    def size(self) -> Tuple[int, int]:
        return self._array.shape[1], self._array.shape[0]

    width = property(lambda self: self.size[0])
    height = property(lambda self: self.size[1])

    def getbands(self) -> Tuple[str, ...]:
        return tuple(self.mode) if self.mode in ("RGB", "RGBA") else (self.mode,)

    def __array__(self, dtype=None, copy=None):
        return self._array if dtype is None else self._array.astype(dtype)

    def copy(self) -> "Image":
        return Image(self._array.copy(), self.mode)

    def convert(self, mode: Optional[str] = None, *args: Any, **kwargs: Any) -> "Image":
        if mode is None or mode == self.mode:
            return self.copy()
        pixels = self._array if self._array.ndim == 3 else self._array[:, :, None]
        gray = pixels[:, :, :3].mean(axis=2) if pixels.shape[2] >= 3 else pixels[:, :, 0]
        if mode in ("L", "1", "I", "F", "P"):
            return Image(gray.astype(np.uint8), mode)
        rgb = pixels[:, :, :3] if pixels.shape[2] >= 3 else np.repeat(pixels, 3, axis=2)
        if mode == "RGBA":
            rgb = np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, np.uint8)], axis=2)
        return Image(np.ascontiguousarray(rgb, dtype=np.uint8), mode)

    def resize(self, size: Tuple[int, int], resample: Any = None, *args: Any, **kwargs: Any) -> "Image":
        width, height = int(size[0]), int(size[1])
        rows = (np.arange(height) * self.height // max(height, 1)).clip(0, self.height - 1)
        cols = (np.arange(width) * self.width // max(width, 1)).clip(0, self.width - 1)
        return Image(self._array[rows][:, cols].copy(), self.mode)

    def crop(self, box: Tuple[int, int, int, int]) -> "Image":
        left, top, right, bottom = (int(round(v)) for v in box)
        out = np.zeros((bottom - top, right - left) + self._array.shape[2:], np.uint8)
        src = self._array[max(top, 0):min(bottom, self.height), max(left, 0):min(right, self.width)]
        out[max(-top, 0):max(-top, 0) + src.shape[0], max(-left, 0):max(-left, 0) + src.shape[1]] = src
        return Image(out, self.mode)

    def transpose(self, method: int) -> "Image":
        axis = 1 if method == Transpose.FLIP_LEFT_RIGHT else 0
        return Image(np.flip(self._array, axis=axis).copy(), self.mode)

    def rotate(self, angle: float, *args: Any, **kwargs: Any) -> "Image":
        return Image(np.rot90(self._array, int(round(angle / 90)) % 4).copy(), self.mode)

    def thumbnail(self, size: Tuple[int, int], *args: Any, **kwargs: Any) -> None:
        scale = min(size[0] / self.width, size[1] / self.height, 1.0)
        self._array = self.resize((max(int(self.width * scale), 1), max(int(self.height * scale), 1)))._array

    def split(self):
        if self._array.ndim == 2:
            return (self.copy(),)
        return tuple(Image(self._array[:, :, i].copy(), "L") for i in range(self._array.shape[2]))

    def save(self, fp: Any, *args: Any, **kwargs: Any) -> None:
        return None  # nothing needs the bytes: open() never reads them back

    def load(self):
        return None

    def close(self) -> None:
        return None

    def __enter__(self) -> "Image":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def __repr__(self) -> str:
        return f"<PIL.Image.Image image mode={self.mode} size={self.width}x{self.height}>"


def _synthetic(seed_text: str, size: Tuple[int, int] = (80, 64), mode: str = "RGB") -> Image:
    rng = np.random.default_rng(zlib.crc32(seed_text.encode()))
    shape = (size[1], size[0]) + ((_BANDS[mode],) if _BANDS[mode] > 1 else ())
    return Image(rng.integers(0, 256, shape, dtype=np.uint8), mode)


def open(fp: Any, mode: str = "r", formats: Any = None) -> Image:  # noqa: A001 - PIL's name
    image = _synthetic(str(getattr(fp, "name", fp)))
    image.format = "JPEG"
    return image


def new(mode: str, size: Tuple[int, int], color: Any = 0) -> Image:
    bands = _BANDS.get(mode, 3)
    shape = (size[1], size[0]) + ((bands,) if bands > 1 else ())
    array = np.zeros(shape, np.uint8)
    array[...] = color if not isinstance(color, str) else 0
    return Image(array, mode)


def fromarray(obj: Any, mode: Optional[str] = None) -> Image:
    array = np.asarray(obj)
    if array.dtype != np.uint8:
        array = array.astype(np.uint8)
    if mode is None:
        mode = "L" if array.ndim == 2 else {3: "RGB", 4: "RGBA"}.get(array.shape[2], "RGB")
    return Image(np.ascontiguousarray(array), mode)
