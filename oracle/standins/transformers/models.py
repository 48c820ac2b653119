"""Tiny Hugging Face vision models. Which ones cast ``pixel_values`` follows transformers:
Dinov2/ViT/CLIP/Siglip embeddings do ``pixel_values.to(dtype=<patch conv weight dtype>)``;
ResNet and ConvNeXt embeddings do not, so a bf16 image into their float32 stem crashes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from _bf16_oracle.nets import BasicBlock, Block, LayerNorm2d, _pos_embed_for


class ModelOutput(dict):
    """transformers' ModelOutput: attribute and key access, tuple-like indexing."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, (int, slice)):
            return self.to_tuple()[key]
        return super().__getitem__(key)

    def to_tuple(self) -> Tuple[Any, ...]:
        return tuple(v for v in self.values() if v is not None)


class PretrainedConfig:
    def __init__(self, name_or_path: str = "", **kwargs: Any):
        self._name_or_path = name_or_path
        self.hidden_size = 64
        self.image_size = 224
        self.patch_size = 16
        self.num_channels = 3
        self.num_labels = 2
        self.__dict__.update(kwargs)
        self.id2label = {i: f"LABEL_{i}" for i in range(self.num_labels)}
        self.label2id = {v: k for k, v in self.id2label.items()}

    def to_dict(self) -> Dict[str, Any]:
        return dict(self.__dict__)


class PreTrainedModel(nn.Module):
    config_class = PretrainedConfig

    def __init__(self, config: Optional[PretrainedConfig] = None):
        super().__init__()
        self.config = config or PretrainedConfig()

    @property
    def dtype(self) -> torch.dtype:
        return next(self.parameters()).dtype

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def get_input_embeddings(self) -> nn.Module:
        return self.embeddings

    def save_pretrained(self, *args: Any, **kwargs: Any) -> None:
        return None

    def gradient_checkpointing_enable(self, *args: Any, **kwargs: Any) -> None:
        return None

    @classmethod
    def from_pretrained(cls, name: str, *args: Any, torch_dtype: Any = None, dtype: Any = None,
                        device_map: Any = None, num_labels: Optional[int] = None, **kwargs: Any) -> "PreTrainedModel":
        config = PretrainedConfig(str(name), **({"num_labels": num_labels} if num_labels else {}))
        model = cls(config)
        wanted = dtype if dtype is not None else torch_dtype
        if isinstance(wanted, str) and wanted != "auto":
            wanted = getattr(torch, wanted)
        if isinstance(wanted, torch.dtype):
            model.to(wanted)
        if device_map not in (None, "auto") and not isinstance(device_map, dict):
            model.to(device_map)
        return model.eval()


class _ViTEncoder(nn.Module):
    def __init__(self, dim: int, depth: int = 2):
        super().__init__()
        self.layer = nn.ModuleList([Block(dim, 4) for _ in range(depth)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layer:
            x = layer(x)
        return x


class _PatchEmbeddings(nn.Module):
    def __init__(self, patch: int, dim: int, bias: bool):
        super().__init__()
        self.patch_size = patch
        self.projection = nn.Conv2d(3, dim, kernel_size=patch, stride=patch, bias=bias)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.projection(pixel_values).flatten(2).transpose(1, 2)


class _SelfCastingEmbeddings(nn.Module):
    """ViT/Dinov2/CLIP/Siglip embeddings: cast pixel_values to the patch conv's dtype, add a
    cls token (not Siglip) and interpolated position embeddings."""

    def __init__(self, patch: int, dim: int, bias: bool, cls_token: bool, image_size: int = 224):
        super().__init__()
        self.patch_embeddings = _PatchEmbeddings(patch, dim, bias)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02) if cls_token else None
        grid = image_size // patch
        self.position_embeddings = nn.Parameter(torch.randn(1, grid * grid + int(cls_token), dim) * 0.02)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        target_dtype = self.patch_embeddings.projection.weight.dtype
        embeddings = self.patch_embeddings(pixel_values.to(dtype=target_dtype))
        patch = self.patch_embeddings.patch_size
        grid = (pixel_values.shape[-2] // patch, pixel_values.shape[-1] // patch)
        prefix = 0
        if self.cls_token is not None:
            embeddings = torch.cat((self.cls_token.expand(embeddings.shape[0], -1, -1), embeddings), dim=1)
            prefix = 1
        return embeddings + _pos_embed_for(self.position_embeddings, grid, prefix, embeddings.dtype)


class _SelfCastingVisionModel(PreTrainedModel):
    patch, bias, cls_token = 16, True, True

    def __init__(self, config: Optional[PretrainedConfig] = None):
        super().__init__(config)
        dim = self.config.hidden_size
        self.embeddings = _SelfCastingEmbeddings(self.patch, dim, self.bias, self.cls_token)
        self.encoder = _ViTEncoder(dim)
        self.layernorm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, pixel_values: Optional[torch.Tensor] = None, output_hidden_states: Any = None,
                return_dict: Any = None, **kwargs: Any) -> ModelOutput:
        if pixel_values is None:
            raise ValueError("You have to specify pixel_values")
        hidden = self.layernorm(self.encoder(self.embeddings(pixel_values)))
        pooled = hidden[:, 0] if self.cls_token else hidden.mean(dim=1)
        return ModelOutput(last_hidden_state=hidden, pooler_output=pooled)


class ViTModel(_SelfCastingVisionModel):
    pass


class Dinov2Model(_SelfCastingVisionModel):
    patch = 14


class CLIPVisionModel(_SelfCastingVisionModel):
    patch, bias = 32, False


class SiglipVisionModel(_SelfCastingVisionModel):
    patch, cls_token = 16, False


class ResNetModel(PreTrainedModel):
    """No cast: embedder.embedder.convolution is a bias-free 7x7 conv + BatchNorm."""

    def __init__(self, config: Optional[PretrainedConfig] = None):
        super().__init__(config)
        self.embedder = nn.Module()
        self.embedder.embedder = nn.Module()
        self.embedder.embedder.convolution = nn.Conv2d(3, 16, 7, 2, 3, bias=False)
        self.embedder.embedder.normalization = nn.BatchNorm2d(16)
        self.encoder = nn.Sequential(BasicBlock(16, 32, 2), BasicBlock(32, 64, 2))
        self.pooler = nn.AdaptiveAvgPool2d(1)
        self.config.hidden_sizes = [16, 32, 64]

    def forward(self, pixel_values: torch.Tensor, output_hidden_states: Any = None, return_dict: Any = None,
                **kwargs: Any) -> ModelOutput:
        stem = self.embedder.embedder
        x = F.max_pool2d(F.relu(stem.normalization(stem.convolution(pixel_values))), 3, 2, 1)
        hidden = self.encoder(x)
        return ModelOutput(last_hidden_state=hidden, pooler_output=self.pooler(hidden))


class ConvNextModel(PreTrainedModel):
    """No cast: embeddings.patch_embeddings is a 4x4 stride-4 conv WITH bias + LayerNorm."""

    def __init__(self, config: Optional[PretrainedConfig] = None):
        super().__init__(config)
        dim = 32
        self.embeddings = nn.Module()
        self.embeddings.patch_embeddings = nn.Conv2d(3, dim, kernel_size=4, stride=4)
        self.embeddings.layernorm = LayerNorm2d(dim, eps=1e-6)
        self.encoder = nn.Sequential(nn.Conv2d(dim, dim, 7, padding=3, groups=dim), LayerNorm2d(dim, eps=1e-6),
                                     nn.Conv2d(dim, 64, 1), nn.GELU())
        self.layernorm = nn.LayerNorm(64, eps=1e-6)
        self.config.hidden_sizes = [dim, 64]

    def forward(self, pixel_values: torch.Tensor, output_hidden_states: Any = None, return_dict: Any = None,
                **kwargs: Any) -> ModelOutput:
        hidden = self.encoder(self.embeddings.layernorm(self.embeddings.patch_embeddings(pixel_values)))
        return ModelOutput(last_hidden_state=hidden, pooler_output=self.layernorm(hidden.mean([-2, -1])))


def _for_classification(base: type, name: str) -> type:
    class ForImageClassification(PreTrainedModel):
        def __init__(self, config: Optional[PretrainedConfig] = None):
            super().__init__(config)
            self.base = base(self.config)
            setattr(self, base.__name__.replace("Model", "").lower(), self.base)
            width = self.base.config.hidden_sizes[-1] if hasattr(self.base.config, "hidden_sizes") else self.config.hidden_size
            self.classifier = nn.Linear(width, self.config.num_labels)

        def forward(self, pixel_values: torch.Tensor = None, labels: Optional[torch.Tensor] = None,
                    **kwargs: Any) -> ModelOutput:
            pooled = self.base(pixel_values).pooler_output.flatten(1)
            logits = self.classifier(pooled)
            loss = F.cross_entropy(logits, labels) if labels is not None else None
            return ModelOutput(loss=loss, logits=logits)

    ForImageClassification.__name__ = ForImageClassification.__qualname__ = name
    return ForImageClassification


ViTForImageClassification = _for_classification(ViTModel, "ViTForImageClassification")
Dinov2ForImageClassification = _for_classification(Dinov2Model, "Dinov2ForImageClassification")
ResNetForImageClassification = _for_classification(ResNetModel, "ResNetForImageClassification")
ConvNextForImageClassification = _for_classification(ConvNextModel, "ConvNextForImageClassification")
CLIPForImageClassification = _for_classification(CLIPVisionModel, "CLIPForImageClassification")
SiglipForImageClassification = _for_classification(SiglipVisionModel, "SiglipForImageClassification")


@dataclass
class _Family:
    model: type
    classifier: type


FAMILIES = {
    "resnet": _Family(ResNetModel, ResNetForImageClassification),
    "convnext": _Family(ConvNextModel, ConvNextForImageClassification),
    "dinov2": _Family(Dinov2Model, Dinov2ForImageClassification),
    "vit": _Family(ViTModel, ViTForImageClassification),
    "deit": _Family(ViTModel, ViTForImageClassification),
    "clip": _Family(CLIPVisionModel, CLIPForImageClassification),
    "siglip": _Family(SiglipVisionModel, SiglipForImageClassification),
}


def family_of(name: str) -> _Family:
    """Checkpoint name -> family: microsoft/resnet-*, facebook/convnext-* (no cast);
    facebook/dinov2-*, google/vit-*, facebook/deit-*, openai/clip-*, google/siglip-* (cast)."""
    lowered = str(name).lower().split("/")[-1]
    for key in ("dinov2", "convnext", "resnet", "siglip", "clip", "deit", "vit"):
        if lowered.startswith(key) or f"-{key}" in lowered or f"_{key}" in lowered:
            return FAMILIES[key]
    raise OSError(f"{name} is not a local folder and is not a valid model identifier (oracle: no such stand-in)")
