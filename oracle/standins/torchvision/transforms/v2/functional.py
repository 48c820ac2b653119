"""torchvision.transforms.v2.functional (the subset the oracle's programs use)."""
from torchvision.transforms.functional import (  # noqa: F401
    center_crop, convert_image_dtype, crop, hflip, normalize, pil_to_tensor, resize, resized_crop, to_dtype,
    to_pil_image, vflip,
)
from torchvision.transforms.functional import pil_to_tensor as to_image  # noqa: F401
