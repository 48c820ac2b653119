"""Stand-in for open_clip (oracle worker only). ``encode_image`` does not cast its input; the
``precision`` argument acts as open_clip's: "fp32"/"amp*" keep float32 weights, "bf16"/"fp16"
convert conv/linear/attention weights (LayerNorms stay float32 and cast back), "pure_bf16" /
"pure_fp16" cast the whole model. Preprocess transforms give float32 images."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

import torch
from torch import nn

from _bf16_oracle.clip_nets import CLIP, LayerNorm, patch_size_for, tokenize  # noqa: F401
from torchvision import transforms as T

OPENAI_DATASET_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_DATASET_STD = (0.26862954, 0.26130258, 0.27577711)
_MODELS = ["RN50", "ViT-B-32", "ViT-B-16", "ViT-L-14", "ViT-H-14", "ViT-g-14", "ViT-bigG-14", "ViT-SO400M-14-SigLIP"]
__version__ = "2.24.0+oracle"

_LOW = {"bf16": torch.bfloat16, "fp16": torch.float16}


def _to_low_precision(model: nn.Module, dtype: torch.dtype) -> None:
    """open_clip's convert_weights_to_lp: conv, linear, attention weights and the projection
    parameters become ``dtype``; LayerNorm, embeddings' other parameters stay float32."""
    for module in model.modules():
        if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Linear)):
            module.weight.data = module.weight.data.to(dtype)
            if module.bias is not None:
                module.bias.data = module.bias.data.to(dtype)
        if isinstance(module, nn.MultiheadAttention):
            for name in ("in_proj_weight", "in_proj_bias", "q_proj_weight", "k_proj_weight", "v_proj_weight"):
                tensor = getattr(module, name, None)
                if tensor is not None:
                    tensor.data = tensor.data.to(dtype)
        for name in ("text_projection", "proj"):
            tensor = getattr(module, name, None)
            if isinstance(tensor, nn.Parameter):
                tensor.data = tensor.data.to(dtype)


def create_model(model_name: str, pretrained: Optional[str] = None, precision: str = "fp32",
                 device: Any = "cpu", jit: bool = False, **kwargs: Any) -> CLIP:
    name = model_name.replace("hf-hub:", "").split("/")[-1]
    if not any(key in name for key in ("ViT", "RN", "convnext", "coca", "EVA", "vit")):
        raise RuntimeError(f"Model config for {model_name} not found.")
    model = CLIP(patch_size=patch_size_for(name))
    model.to(device=device)
    if precision in _LOW:
        _to_low_precision(model, _LOW[precision])
    elif precision in ("pure_bf16", "pure_fp16"):
        model.to(_LOW[precision[5:]])
    return model


def image_transform(image_size: int = 224, is_train: bool = False, mean: Any = None, std: Any = None, **_: Any):
    normalize = T.Normalize(mean or OPENAI_DATASET_MEAN, std or OPENAI_DATASET_STD)
    to_rgb = T.Lambda(lambda image: image.convert("RGB"))
    if is_train:
        return T.Compose([T.RandomResizedCrop(image_size, scale=(0.9, 1.0)), to_rgb, T.ToTensor(), normalize])
    return T.Compose([T.Resize(image_size), T.CenterCrop(image_size), to_rgb, T.ToTensor(), normalize])


def create_model_and_transforms(model_name: str, pretrained: Optional[str] = None, precision: str = "fp32",
                                device: Any = "cpu", **kwargs: Any) -> Tuple[CLIP, Any, Any]:
    model = create_model(model_name, pretrained, precision=precision, device=device, **kwargs)
    size = model.visual.image_size[0]
    return model, image_transform(size, is_train=True), image_transform(size, is_train=False)


def create_model_from_pretrained(model_name: str, pretrained: Optional[str] = None, precision: str = "fp32",
                                 device: Any = "cpu", return_transform: bool = True, **kwargs: Any):
    model = create_model(model_name, pretrained, precision=precision, device=device, **kwargs)
    return (model, image_transform(model.visual.image_size[0])) if return_transform else model


class _Tokenizer:
    def __init__(self, context_length: int = 77):
        self.context_length = context_length

    def __call__(self, texts: Any, context_length: Optional[int] = None) -> torch.Tensor:
        return tokenize(texts, context_length or self.context_length)


def get_tokenizer(model_name: str = "", **kwargs: Any) -> _Tokenizer:
    return _Tokenizer()


def list_models() -> List[str]:
    return list(_MODELS)


def list_pretrained() -> List[Tuple[str, str]]:
    return [(name, "openai") for name in _MODELS]
