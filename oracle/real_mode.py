"""The oracle's worker with the REAL libraries and a real GPU, to check the stand-ins and the
CUDA-on-CPU emulation against them (``ORACLE_REAL=1``; see oracle/gpu_check.py).

No stand-in is on sys.path and CUDA is not redirected; the autocast patches stay (so
``autocast=False`` runs work). Only what needs the network is replaced, by random init:
- ``torch.hub.load('facebookresearch/dinov2', ...)``: the oracle's tiny DINOv2 (torch code only);
- ``timm.create_model(..., pretrained=True)``: built with ``pretrained=False``;
- torchvision ``weights=...``: the enum and its transforms are real, the state dict is skipped;
  ``torch.hub.load('pytorch/vision', name)`` builds the model;
- ``PIL.Image.open``: a synthetic 80x64 RGB image (as the stand-in's);
- transformers ``from_pretrained(name)``: the real class from a small config of its family,
  ``torch_dtype``/``dtype`` applied, position embeddings interpolated for any image size."""
from __future__ import annotations

import functools
import importlib.util
import inspect
import os
from typing import Any

import torch

_DINOV2 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "standins", "_bf16_oracle", "dinov2.py")


class _Offline:
    """What an offline WeightsEnum.get_state_dict returns: load_state_dict skips it."""


_OFFLINE = _Offline()


def _dinov2_module():
    spec = importlib.util.spec_from_file_location("oracle_real_tiny_dinov2", _DINOV2)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hub_load(repo_or_dir: str, model: str, *args: Any, **kwargs: Any):
    dinov2 = _dinov2_module()
    repo = repo_or_dir.split(":")[0]
    if repo == dinov2.DINOV2_HUB_REPO and model in dinov2.DINOV2_ENTRIES:
        return dinov2.dinov2_entry(model)
    if repo == "pytorch/vision":
        import torchvision

        return torchvision.models.get_model(model, **{k: v for k, v in kwargs.items() if k in ("num_classes",)})
    raise RuntimeError(f"oracle real mode: no offline stand-in for torch.hub entry {repo_or_dir!r}, {model!r}")


def _patch_timm() -> None:
    import timm

    real = timm.create_model

    @functools.wraps(real)
    def create_model(name: str, pretrained: bool = False, **kwargs: Any):
        if any(family in name for family in ("vit", "deit", "eva")):
            kwargs.setdefault("dynamic_img_size", True)  # any image size, as the stand-ins
            kwargs.setdefault("dynamic_img_pad", True)
        return real(name, pretrained=False, **kwargs)

    timm.create_model = create_model


def _patch_torchvision() -> None:
    from torchvision.models import _api

    _api.WeightsEnum.get_state_dict = lambda self, *args, **kwargs: _OFFLINE
    real_load = torch.nn.Module.load_state_dict

    def load_state_dict(self, state_dict, *args, **kwargs):
        if state_dict is _OFFLINE:
            return torch.nn.modules.module._IncompatibleKeys([], [])
        return real_load(self, state_dict, *args, **kwargs)

    torch.nn.Module.load_state_dict = load_state_dict


_SMALL = {
    "ViTConfig": dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128),
    "Dinov2Config": dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, mlp_ratio=2, patch_size=14),
    "CLIPVisionConfig": dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                             patch_size=32),
    "SiglipVisionConfig": dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128),
    "ResNetConfig": dict(embedding_size=16, hidden_sizes=[16, 32], depths=[1, 1], layer_type="basic"),
    "ConvNextConfig": dict(hidden_sizes=[16, 32], depths=[1, 1], num_stages=2),
}
_FAMILIES = (("dinov2", "Dinov2"), ("convnext", "ConvNext"), ("resnet", "ResNet"), ("siglip", "SiglipVision"),
             ("clip", "CLIPVision"), ("deit", "ViT"), ("vit", "ViT"))


def _family(name: str) -> str:
    lowered = str(name).lower().split("/")[-1]
    for key, family in _FAMILIES:
        if key in lowered:
            return family
    raise OSError(f"oracle real mode: no offline config for {name!r}")


def _small_model(cls: type, name: str, torch_dtype: Any = None, dtype: Any = None, num_labels: Any = None,
                 **kwargs: Any):
    config_class = cls.config_class
    small = dict(_SMALL.get(config_class.__name__, {}))
    if num_labels is not None:
        small["num_labels"] = num_labels
    model = cls(config_class(**small))
    if "interpolate_pos_encoding" in inspect.signature(cls.forward).parameters:  # any image size, as the stand-ins
        model.forward = functools.partial(model.forward, interpolate_pos_encoding=True)
    wanted = dtype if dtype is not None else torch_dtype
    if isinstance(wanted, str) and wanted != "auto":
        wanted = getattr(torch, wanted)
    if isinstance(wanted, torch.dtype):
        model.to(wanted)
    return model.eval()


def _patch_transformers() -> None:
    import transformers

    def from_pretrained(cls, name, *args, **kwargs):
        if cls.__name__.startswith("Auto"):
            suffix = "ForImageClassification" if "ImageClassification" in cls.__name__ else "Model"
            family = _family(name)
            if suffix != "Model":
                family = family.replace("Vision", "")
            cls = getattr(transformers, family + suffix)
        return _small_model(cls, name, **kwargs)

    transformers.PreTrainedModel.from_pretrained = classmethod(from_pretrained)
    for auto in ("AutoModel", "AutoModelForImageClassification"):
        setattr(getattr(transformers, auto), "from_pretrained", classmethod(from_pretrained))
    processor = transformers.ViTImageProcessor
    transformers.AutoImageProcessor.from_pretrained = classmethod(lambda cls, name, **kwargs: processor())


def _patch_pil() -> None:
    import zlib

    import numpy as np
    from PIL import Image

    def open_synthetic(fp: Any, *args: Any, **kwargs: Any):
        rng = np.random.default_rng(zlib.crc32(str(getattr(fp, "name", fp)).encode()))
        return Image.fromarray(rng.integers(0, 256, (64, 80, 3), dtype=np.uint8), "RGB")

    Image.open = open_synthetic


def install() -> None:
    """Called in each real-mode child, before the program runs."""
    torch.hub.load = _hub_load
    for patch in (_patch_timm, _patch_torchvision, _patch_transformers, _patch_pil):
        try:
            patch()
        except ImportError:
            pass
