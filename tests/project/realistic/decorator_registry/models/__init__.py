from . import dino  # noqa: F401  (registers the builders)
from .registry import MODEL_REGISTRY, build_model
