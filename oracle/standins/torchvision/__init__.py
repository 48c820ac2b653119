"""Stand-in for torchvision (oracle worker only; PyPI torchvision does not import beside this
torch): models are tiny random-init nets with the real first layers and attribute names,
transforms keep torchvision's dtype rules, datasets are synthetic (nothing on disk)."""
from torchvision import datasets, io, models, transforms, utils  # noqa: F401

__version__ = "0.28.0+oracle"
