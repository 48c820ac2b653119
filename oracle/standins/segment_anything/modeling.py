"""A tiny SAM: ImageEncoderViT (patch conv WITH bias, absolute position embeddings, blocks,
a neck of bias-free convs with LayerNorm2d), a prompt encoder and mask decoder reduced to what
returns masks. ``Sam.preprocess`` normalises with float32 ``pixel_mean``/``pixel_std`` buffers
of shape (3, 1, 1), which promotes a bf16 image to float32, as the real one does. The encoder's
``img_size`` is 64 (the real one is 1024), so predictors resize to 64."""
from __future__ import annotations

from typing import Any, Dict, List

import torch
import torch.nn.functional as F
from torch import nn

from _bf16_oracle.nets import Block, LayerNorm2d, _pos_embed_for


class PatchEmbed(nn.Module):
    def __init__(self, patch_size: int = 16, embed_dim: int = 64):
        super().__init__()
        self.proj = nn.Conv2d(3, embed_dim, kernel_size=patch_size, stride=patch_size)  # bias=True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x).permute(0, 2, 3, 1)  # B H W C


class ImageEncoderViT(nn.Module):
    def __init__(self, img_size: int = 64, patch_size: int = 16, embed_dim: int = 64, depth: int = 2,
                 out_chans: int = 32):
        super().__init__()
        self.img_size, self.patch_size = img_size, patch_size
        self.patch_embed = PatchEmbed(patch_size, embed_dim)
        grid = img_size // patch_size
        self.pos_embed = nn.Parameter(torch.zeros(1, grid, grid, embed_dim))
        self.blocks = nn.ModuleList([Block(embed_dim, 4) for _ in range(depth)])
        self.neck = nn.Sequential(nn.Conv2d(embed_dim, out_chans, 1, bias=False), LayerNorm2d(out_chans),
                                  nn.Conv2d(out_chans, out_chans, 3, padding=1, bias=False), LayerNorm2d(out_chans))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.patch_embed(x)
        B, H, W, C = x.shape
        pos = _pos_embed_for(self.pos_embed.reshape(1, -1, C), (H, W), 0, x.dtype).reshape(1, H, W, C)
        x = (x + pos).reshape(B, H * W, C)
        for blk in self.blocks:
            x = blk(x)
        return self.neck(x.reshape(B, H, W, C).permute(0, 3, 1, 2))


class PromptEncoder(nn.Module):
    def __init__(self, embed_dim: int = 32):
        super().__init__()
        self.point_embeddings = nn.Embedding(4, embed_dim)


class MaskDecoder(nn.Module):
    def __init__(self, transformer_dim: int = 32, num_multimask_outputs: int = 3):
        super().__init__()
        self.num_mask_tokens = num_multimask_outputs + 1
        self.output_hypernetworks = nn.Conv2d(transformer_dim, self.num_mask_tokens, 1)
        self.iou_prediction_head = nn.Linear(transformer_dim, self.num_mask_tokens)

    def forward(self, image_embeddings: torch.Tensor, multimask_output: bool = True):
        masks = self.output_hypernetworks(image_embeddings)
        iou = self.iou_prediction_head(image_embeddings.mean((-2, -1)))
        selected = slice(1, None) if multimask_output else slice(0, 1)
        return masks[:, selected], iou[:, selected]


class Sam(nn.Module):
    mask_threshold: float = 0.0
    image_format: str = "RGB"

    def __init__(self):
        super().__init__()
        self.image_encoder = ImageEncoderViT()
        self.prompt_encoder = PromptEncoder()
        self.mask_decoder = MaskDecoder()
        self.register_buffer("pixel_mean", torch.Tensor([123.675, 116.28, 103.53]).view(-1, 1, 1), False)
        self.register_buffer("pixel_std", torch.Tensor([58.395, 57.12, 57.375]).view(-1, 1, 1), False)

    @property
    def device(self) -> Any:
        return self.pixel_mean.device

    def preprocess(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - self.pixel_mean) / self.pixel_std
        h, w = x.shape[-2:]
        return F.pad(x, (0, self.image_encoder.img_size - w, 0, self.image_encoder.img_size - h))

    def postprocess_masks(self, masks: torch.Tensor, input_size: Any, original_size: Any) -> torch.Tensor:
        size = self.image_encoder.img_size
        masks = F.interpolate(masks, (size, size), mode="bilinear", align_corners=False)
        masks = masks[..., : input_size[0], : input_size[1]]
        return F.interpolate(masks, tuple(original_size), mode="bilinear", align_corners=False)

    def forward(self, batched_input: List[Dict[str, Any]], multimask_output: bool = False) -> List[Dict[str, Any]]:
        input_images = torch.stack([self.preprocess(x["image"]) for x in batched_input], dim=0)
        image_embeddings = self.image_encoder(input_images)
        outputs = []
        for record, embedding in zip(batched_input, image_embeddings):
            low_res, iou = self.mask_decoder(embedding.unsqueeze(0), multimask_output)
            masks = self.postprocess_masks(low_res, record["image"].shape[-2:], record["original_size"])
            outputs.append({"masks": masks > self.mask_threshold, "iou_predictions": iou, "low_res_logits": low_res})
        return outputs
