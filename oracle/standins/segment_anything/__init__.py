"""Stand-in for segment_anything (oracle worker only): sam_model_registry builders, Sam,
SamPredictor (set_image -> preprocess -> image_encoder, as the real one) and a minimal
SamAutomaticMaskGenerator. Checkpoints are never read."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import torch

from segment_anything.modeling import ImageEncoderViT, MaskDecoder, PromptEncoder, Sam  # noqa: F401
from segment_anything.utils.transforms import ResizeLongestSide


def build_sam_vit_h(checkpoint: Optional[str] = None) -> Sam:
    return Sam()


build_sam = build_sam_vit_l = build_sam_vit_b = build_sam_vit_h
sam_model_registry = {"default": build_sam_vit_h, "vit_h": build_sam_vit_h, "vit_l": build_sam_vit_l,
                      "vit_b": build_sam_vit_b}


class SamPredictor:
    def __init__(self, sam_model: Sam):
        self.model = sam_model
        self.transform = ResizeLongestSide(sam_model.image_encoder.img_size)
        self.is_image_set = False

    @property
    def device(self) -> torch.device:
        return self.model.device

    def set_image(self, image: np.ndarray, image_format: str = "RGB") -> None:
        if image_format != self.model.image_format:
            image = image[..., ::-1]
        input_image = self.transform.apply_image(np.ascontiguousarray(image))
        input_image_torch = torch.as_tensor(input_image, device=self.device)
        input_image_torch = input_image_torch.permute(2, 0, 1).contiguous()[None, :, :, :]
        self.set_torch_image(input_image_torch, image.shape[:2])

    @torch.no_grad()
    def set_torch_image(self, transformed_image: torch.Tensor, original_image_size: Tuple[int, ...]) -> None:
        self.original_size = tuple(original_image_size)
        self.input_size = tuple(transformed_image.shape[-2:])
        input_image = self.model.preprocess(transformed_image)
        self.features = self.model.image_encoder(input_image)
        self.is_image_set = True

    def get_image_embedding(self) -> torch.Tensor:
        if not self.is_image_set:
            raise RuntimeError("An image must be set with .set_image(...) to generate an embedding.")
        return self.features

    @torch.no_grad()
    def predict(self, point_coords: Any = None, point_labels: Any = None, box: Any = None, mask_input: Any = None,
                multimask_output: bool = True, return_logits: bool = False):
        if not self.is_image_set:
            raise RuntimeError("An image must be set with .set_image(...) before mask prediction.")
        low_res, iou = self.model.mask_decoder(self.features, multimask_output)
        masks = self.model.postprocess_masks(low_res, self.input_size, self.original_size)
        if not return_logits:
            masks = masks > self.model.mask_threshold
        return masks[0].float().numpy() > 0.5, iou[0].float().numpy(), low_res[0].float().numpy()

    def reset_image(self) -> None:
        self.is_image_set = False


class SamAutomaticMaskGenerator:
    def __init__(self, model: Sam, **kwargs: Any):
        self.predictor = SamPredictor(model)

    def generate(self, image: np.ndarray) -> List[Dict[str, Any]]:
        self.predictor.set_image(image)
        masks, scores, _ = self.predictor.predict()
        return [{"segmentation": mask, "area": int(mask.sum()), "predicted_iou": float(score)}
                for mask, score in zip(masks, scores)]
