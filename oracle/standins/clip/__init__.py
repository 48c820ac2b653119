"""Stand-in for OpenAI's ``clip`` package (oracle worker only). As the real one: ``load`` on a
CUDA device keeps float16 weights (``model.float()`` only on "cpu"), and ``encode_image`` casts
its input to the model's dtype (``image.type(self.dtype)``), so it never raises the bf16 error."""
from __future__ import annotations

from typing import Any, List, Tuple

import torch

from _bf16_oracle import clip_nets
from _bf16_oracle.clip_nets import tokenize  # noqa: F401
from open_clip import _to_low_precision, image_transform

_MODELS = ["RN50", "RN101", "RN50x4", "ViT-B/32", "ViT-B/16", "ViT-L/14", "ViT-L/14@336px"]


class CLIP(clip_nets.CLIP):
    def encode_image(self, image: torch.Tensor, normalize: bool = False) -> torch.Tensor:
        return self.visual(image.type(self.dtype))

    def encode_text(self, text: torch.Tensor, normalize: bool = False) -> torch.Tensor:
        return super().encode_text(text)

    def forward(self, image: torch.Tensor, text: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        image_features = self.encode_image(image)
        text_features = self.encode_text(text)
        image_features = image_features / image_features.norm(dim=1, keepdim=True)
        text_features = text_features / text_features.norm(dim=1, keepdim=True)
        logits_per_image = self.logit_scale.exp() * image_features @ text_features.t().to(image_features.dtype)
        return logits_per_image, logits_per_image.t()


def available_models() -> List[str]:
    return list(_MODELS)


def load(name: str, device: Any = None, jit: bool = False, download_root: Any = None) -> Tuple[CLIP, Any]:
    if name not in _MODELS:
        raise RuntimeError(f"Model {name} not found; available models = {available_models()}")
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    model = CLIP(patch_size=clip_nets.patch_size_for(name)).to(device)
    if str(device) != "cpu":
        _to_low_precision(model, torch.float16)  # clip's build_model: fp16 weights; "cpu" gets float() back
    return model.eval(), image_transform(224)
