"""torch.hub.load for the oracle: known vision entries give tiny random-init models (the real
hub code does not cast the input either); anything else raises, nothing is downloaded."""
from __future__ import annotations

from typing import Any

from torch import nn

from _bf16_oracle import nets
from _bf16_oracle.dinov2 import DINOV2_ENTRIES, dinov2_entry

_HUB_OPTIONS = {"source", "trust_repo", "force_reload", "verbose", "skip_validation"}
_DINO_V1 = {"dino_vits16", "dino_vits8", "dino_vitb16", "dino_vitb8", "dino_resnet50", "dino_xcit_small_12_p16"}


def load(repo_or_dir: str, model: str, *args: Any, **kwargs: Any) -> nn.Module:
    repo = repo_or_dir.split(":")[0].rstrip("/")
    options = {k: v for k, v in kwargs.items() if k not in _HUB_OPTIONS}
    options.pop("pretrained", None)
    options.pop("weights", None)
    if repo == "facebookresearch/dinov2" and model in DINOV2_ENTRIES:
        return dinov2_entry(model)
    if repo == "facebookresearch/dino" and model in _DINO_V1:
        return nets.build(model.replace("dino_", ""), num_classes=0)
    if repo in ("pytorch/vision", "facebookresearch/deit") and nets.family(model):
        if repo == "pytorch/vision":
            import torchvision.models

            return torchvision.models.get_model(model, **options)
        return nets.build(model, num_classes=options.get("num_classes", 1000))
    raise RuntimeError(f"oracle: unknown torch.hub entry {repo_or_dir!r}, {model!r} (nothing is downloaded)")
