"""A tiny CLIP shared by the open_clip and clip stand-ins. As the real ones: the visual ViT
starts with ``conv1`` (patch conv WITHOUT bias), class embedding, position embedding,
``ln_pre``; the text tower is token embedding + transformer + ``ln_final`` + projection.
``LayerNorm`` computes in float32 and casts back (both libraries subclass it so)."""
from __future__ import annotations

from typing import Any, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from _bf16_oracle import nets

CONTEXT_LENGTH = 77
VOCAB = 49408


class HashedEmbedding(nn.Embedding):
    """Takes every id of CLIP's 49408-token vocabulary but stores 1024 rows (id modulo 1024):
    allocating and filling the full table costs ~35 ms per program on this machine, and no
    dtype behaviour depends on it."""

    def __init__(self, num: int, dim: int, rows: int = 1024):
        super().__init__(rows, dim)
        self.vocab_size = num

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return super().forward(ids % self.num_embeddings)


def cheap_embedding(num: int, dim: int) -> nn.Embedding:
    return HashedEmbedding(num, dim)


class LayerNorm(nn.LayerNorm):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        orig_type = x.dtype
        return F.layer_norm(x.to(torch.float32), self.normalized_shape, self.weight.float(), self.bias.float(),
                            self.eps).to(orig_type)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.ln_1 = LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_2 = LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, width * 2), nn.GELU(), nn.Linear(width * 2, width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int):
        super().__init__()
        self.width = width
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, image_size: int = 224, patch_size: int = 16, width: int = 64, layers: int = 2,
                 heads: int = 4, output_dim: int = 32):
        super().__init__()
        self.image_size, self.patch_size, self.output_dim = (image_size, image_size), (patch_size, patch_size), output_dim
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        grid = image_size // patch_size
        self.class_embedding = nn.Parameter(torch.randn(width) * width ** -0.5)
        self.positional_embedding = nn.Parameter(torch.randn(grid * grid + 1, width) * width ** -0.5)
        self.ln_pre = LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = LayerNorm(width)
        self.proj = nn.Parameter(torch.randn(width, output_dim) * width ** -0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv1(x)
        grid = tuple(x.shape[-2:])
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = self.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype, device=x.device)
        x = torch.cat([cls, x], dim=1)
        x = x + nets._pos_embed_for(self.positional_embedding.unsqueeze(0), grid, 1, x.dtype).to(x.dtype)
        x = self.transformer(self.ln_pre(x))
        return self.ln_post(x[:, 0]) @ self.proj


class CLIP(nn.Module):
    def __init__(self, embed_dim: int = 32, image_size: int = 224, patch_size: int = 16, width: int = 64):
        super().__init__()
        self.visual = VisionTransformer(image_size, patch_size, width, output_dim=embed_dim)
        self.transformer = Transformer(width, 1, 4)
        self.context_length, self.vocab_size = CONTEXT_LENGTH, VOCAB
        self.token_embedding = cheap_embedding(VOCAB, width)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT_LENGTH, width) * 0.01)
        self.ln_final = LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, embed_dim) * width ** -0.5)
        self.logit_scale = nn.Parameter(torch.ones([]) * 2.6592)

    @property
    def dtype(self) -> torch.dtype:
        return self.visual.conv1.weight.dtype

    def encode_image(self, image: torch.Tensor, normalize: bool = False) -> torch.Tensor:
        features = self.visual(image)  # open_clip does not cast the image
        return F.normalize(features, dim=-1) if normalize else features

    def encode_text(self, text: torch.Tensor, normalize: bool = False) -> torch.Tensor:
        cast_dtype = self.transformer.resblocks[0].mlp[0].weight.dtype  # as get_cast_dtype()
        x = self.token_embedding(text).to(cast_dtype) + self.positional_embedding[: text.shape[1]].to(cast_dtype)
        x = self.ln_final(self.transformer(x))
        x = x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection
        return F.normalize(x, dim=-1) if normalize else x

    def forward(self, image: Any = None, text: Any = None) -> Tuple[Any, Any, torch.Tensor]:
        image_features = self.encode_image(image, normalize=True) if image is not None else None
        text_features = self.encode_text(text, normalize=True) if text is not None else None
        return image_features, text_features, self.logit_scale.exp()


def tokenize(texts: Any, context_length: int = CONTEXT_LENGTH, truncate: bool = True) -> torch.Tensor:
    """Deterministic ids (no BPE): start token, one id per word, end token (the argmax)."""
    texts = [texts] if isinstance(texts, str) else list(texts)
    result = torch.zeros(len(texts), context_length, dtype=torch.long)
    for row, text in enumerate(texts):
        ids = [49406] + [1 + sum(map(ord, word)) % 49000 for word in text.split()][: context_length - 2] + [49407]
        result[row, : len(ids)] = torch.tensor(ids)
    return result


def patch_size_for(name: str) -> int:
    for size in (14, 16, 32):
        if f"-{size}" in name or f"/{size}" in name or f"patch{size}" in name:
            return size
    return 16
