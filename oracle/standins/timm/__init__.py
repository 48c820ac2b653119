"""Stand-in for timm (oracle worker only): create_model gives tiny random-init nets of the
model's family (ViT-likes: conv patch embed with bias; ConvNeXt: conv stem with bias;
ResNet/EfficientNet/RegNet/MobileNet: bias-free conv stem + BatchNorm). They do not cast
their input, as timm's models do not."""
from timm.models import create_model, is_model, list_models  # noqa: F401
from timm import data  # noqa: F401

__version__ = "1.0.oracle"
