"""Stand-in for transformers (oracle worker only): Auto* classes resolve a checkpoint name to a
tiny family model (see models.family_of), ``torch_dtype=``/``dtype=`` cast it, image processors
return float32 BatchFeatures. Nothing is downloaded."""
from __future__ import annotations

from typing import Any

import torch

from _bf16_oracle.clip_nets import cheap_embedding
from transformers import models as _models
from transformers.image_processing import (  # noqa: F401
    AutoFeatureExtractor, AutoImageProcessor, BaseImageProcessor, BatchFeature, BitImageProcessor,
    CLIPImageProcessor, ConvNextImageProcessor, SiglipImageProcessor, ViTFeatureExtractor, ViTImageProcessor,
)
from transformers.models import (  # noqa: F401
    CLIPVisionModel, ConvNextForImageClassification, ConvNextModel, Dinov2ForImageClassification, Dinov2Model,
    ModelOutput, PretrainedConfig, PreTrainedModel, ResNetForImageClassification, ResNetModel,
    SiglipVisionModel, ViTForImageClassification, ViTModel,
)

__version__ = "4.56.0+oracle"
Dinov2WithRegistersModel = Dinov2Model
CLIPVisionModelWithProjection = CLIPVisionModel


class AutoModel:
    @classmethod
    def from_pretrained(cls, name: str, *args: Any, **kwargs: Any) -> PreTrainedModel:
        return _models.family_of(name).model.from_pretrained(name, *args, **kwargs)


class AutoModelForImageClassification:
    @classmethod
    def from_pretrained(cls, name: str, *args: Any, **kwargs: Any) -> PreTrainedModel:
        return _models.family_of(name).classifier.from_pretrained(name, *args, **kwargs)


class AutoConfig:
    @classmethod
    def from_pretrained(cls, name: str, **kwargs: Any) -> PretrainedConfig:
        _models.family_of(name)
        return PretrainedConfig(name, **kwargs)


class CLIPModel(PreTrainedModel):
    """get_image_features goes through the (self-casting) CLIP vision tower."""

    def __init__(self, config: Any = None):
        super().__init__(config)
        self.vision_model = CLIPVisionModel(self.config)
        self.visual_projection = torch.nn.Linear(self.config.hidden_size, 32, bias=False)
        self.token_embedding = cheap_embedding(49408, 32)

    def get_image_features(self, pixel_values: torch.Tensor = None, **kwargs: Any) -> torch.Tensor:
        return self.visual_projection(self.vision_model(pixel_values).pooler_output)

    def get_text_features(self, input_ids: torch.Tensor = None, **kwargs: Any) -> torch.Tensor:
        return self.token_embedding(input_ids).mean(dim=1)

    def forward(self, input_ids: Any = None, pixel_values: Any = None, **kwargs: Any) -> ModelOutput:
        image = self.get_image_features(pixel_values)
        text = self.get_text_features(input_ids)
        logits = image @ text.t().to(image.dtype)
        return ModelOutput(logits_per_image=logits, logits_per_text=logits.t(), image_embeds=image, text_embeds=text)


SiglipModel = CLIPModel


class CLIPProcessor:
    def __init__(self) -> None:
        self.image_processor = CLIPImageProcessor()

    @classmethod
    def from_pretrained(cls, name: str, **kwargs: Any) -> "CLIPProcessor":
        return cls()

    def __call__(self, text: Any = None, images: Any = None, return_tensors: Any = None, padding: Any = None,
                 **kwargs: Any) -> BatchFeature:
        data = {}
        if images is not None:
            data.update(self.image_processor(images))
        if text is not None:
            texts = [text] if isinstance(text, str) else list(text)
            data["input_ids"] = torch.tensor([[1 + sum(map(ord, t)) % 49000, 2] for t in texts])
            data["attention_mask"] = torch.ones_like(data["input_ids"])
        return BatchFeature(data)


AutoProcessor = SiglipProcessor = CLIPProcessor


def set_seed(seed: int) -> None:
    torch.manual_seed(seed)
