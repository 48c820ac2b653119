"""A tiny, self-written, random-init DINOv2-shaped ViT: what the oracle (and the smoke test)
hands out for ``torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')``. Nothing is
downloaded.

It keeps the parts of facebookresearch/dinov2 ``DinoVisionTransformer`` that decide how a
bf16 input fails or passes:
- ``patch_embed.proj`` is a Conv2d **with bias**, the first layer the image meets, so a bf16
  image into fp32 weights raises ``Input type (c10::BFloat16) and bias type (float) should
  be the same`` exactly as the real hub model does (it does not cast its input);
- a cls token concatenated before the position embeddings;
- position embeddings stored for a larger grid and interpolated (bicubic, no antialias)
  in float32, then cast back to the token dtype, as ``interpolate_pos_encoding`` does;
- pre-norm blocks: LayerNorm(eps=1e-6), qkv attention through
  ``F.scaled_dot_product_attention``, LayerScale, GELU MLP; a final LayerNorm;
- ``forward`` returns the normalized cls token (``head`` is Identity), ``embed_dim`` and
  ``patch_size`` attributes, ``forward_features`` returning the DINOv2 dict.

Sizes: 56x56 input, patch 14 (a 4x4 grid), dim 64, depth 2, 4 heads; position
embeddings stored for a 5x5 grid (img_size 70) so the interpolation path really runs.
"""
from __future__ import annotations

import math
from typing import Any, Dict, Tuple

import torch
import torch.nn.functional as F
from torch import nn

DINOV2_HUB_REPO = "facebookresearch/dinov2"
DINOV2_ENTRIES = (
    "dinov2_vits14",
    "dinov2_vitb14",
    "dinov2_vitl14",
    "dinov2_vitg14",
    "dinov2_vits14_reg",
    "dinov2_vitb14_reg",
    "dinov2_vitl14_reg",
    "dinov2_vitg14_reg",
)


class PatchEmbed(nn.Module):
    def __init__(self, patch_size: int = 14, in_chans: int = 3, embed_dim: int = 64):
        super().__init__()
        self.patch_size = (patch_size, patch_size)
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)  # bias=True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.proj(x)  # B C H W
        return x.flatten(2).transpose(1, 2)  # B HW C


class Attention(nn.Module):
    def __init__(self, dim: int, num_heads: int):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v)
        x = x.transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class LayerScale(nn.Module):
    def __init__(self, dim: int, init_values: float = 1.0):
        super().__init__()
        self.gamma = nn.Parameter(init_values * torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gamma


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads)
        self.ls1 = LayerScale(dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.ls2 = LayerScale(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))


class TinyDinoVisionTransformer(nn.Module):
    def __init__(
        self,
        img_size: int = 70,
        patch_size: int = 14,
        embed_dim: int = 64,
        depth: int = 2,
        num_heads: int = 4,
        interpolate_antialias: bool = False,
        interpolate_offset: float = 0.1,
        num_register_tokens: int = 0,
    ):
        super().__init__()
        self.patch_size = patch_size
        self.embed_dim = self.num_features = embed_dim
        self.interpolate_antialias = interpolate_antialias
        self.interpolate_offset = interpolate_offset
        self.patch_embed = PatchEmbed(patch_size, 3, embed_dim)
        num_patches = (img_size // patch_size) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.num_register_tokens = num_register_tokens
        self.register_tokens = nn.Parameter(torch.zeros(1, num_register_tokens, embed_dim)) if num_register_tokens else None
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches + 1, embed_dim))
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head = nn.Identity()
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.normal_(self.cls_token, std=1e-6)

    def interpolate_pos_encoding(self, x: torch.Tensor, w: int, h: int) -> torch.Tensor:
        # As DINOv2: interpolate in float32, cast back to the token dtype.
        previous_dtype = x.dtype
        npatch = x.shape[1] - 1
        N = self.pos_embed.shape[1] - 1
        if npatch == N and w == h:
            return self.pos_embed
        pos_embed = self.pos_embed.float()
        class_pos_embed = pos_embed[:, 0]
        patch_pos_embed = pos_embed[:, 1:]
        dim = x.shape[-1]
        w0 = w // self.patch_size
        h0 = h // self.patch_size
        M = int(math.sqrt(N))
        assert N == M * M
        patch_pos_embed = F.interpolate(
            patch_pos_embed.reshape(1, M, M, dim).permute(0, 3, 1, 2),
            mode="bicubic",
            antialias=self.interpolate_antialias,
            size=(w0, h0),
        )
        assert (w0, h0) == patch_pos_embed.shape[-2:]
        patch_pos_embed = patch_pos_embed.permute(0, 2, 3, 1).view(1, -1, dim)
        return torch.cat((class_pos_embed.unsqueeze(0), patch_pos_embed), dim=1).to(previous_dtype)

    def prepare_tokens(self, x: torch.Tensor) -> torch.Tensor:
        B, _, w, h = x.shape
        x = self.patch_embed(x)
        x = torch.cat((self.cls_token.expand(x.shape[0], -1, -1), x), dim=1)
        x = x + self.interpolate_pos_encoding(x, w, h)
        if self.register_tokens is not None:
            x = torch.cat((x[:, :1], self.register_tokens.expand(x.shape[0], -1, -1), x[:, 1:]), dim=1)
        return x

    def forward_features(self, x: torch.Tensor) -> Dict[str, Any]:
        x = self.prepare_tokens(x)
        for blk in self.blocks:
            x = blk(x)
        x_norm = self.norm(x)
        return {
            "x_norm_clstoken": x_norm[:, 0],
            "x_norm_regtokens": x_norm[:, 1: self.num_register_tokens + 1],
            "x_norm_patchtokens": x_norm[:, self.num_register_tokens + 1:],
            "x_prenorm": x,
        }

    def get_intermediate_layers(self, x: torch.Tensor, n: Any = 1, reshape: bool = False,
                                return_class_token: bool = False, norm: bool = True) -> Tuple[Any, ...]:
        B, _, w, h = x.shape
        x = self.prepare_tokens(x)
        wanted = range(len(self.blocks) - n, len(self.blocks)) if isinstance(n, int) else n
        outputs = []
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i in wanted:
                outputs.append(x)
        if norm:
            outputs = [self.norm(out) for out in outputs]
        class_tokens = [out[:, 0] for out in outputs]
        outputs = [out[:, 1 + self.num_register_tokens:] for out in outputs]
        if reshape:
            outputs = [out.reshape(B, w // self.patch_size, h // self.patch_size, -1).permute(0, 3, 1, 2).contiguous()
                       for out in outputs]
        if return_class_token:
            return tuple(zip(outputs, class_tokens))
        return tuple(outputs)

    def forward(self, x: torch.Tensor, is_training: bool = False) -> Any:
        ret = self.forward_features(x)
        if is_training:
            return ret
        return self.head(ret["x_norm_clstoken"])


def tiny_dinov2(**kwargs: Any) -> TinyDinoVisionTransformer:
    return TinyDinoVisionTransformer(**kwargs)


def dinov2_entry(model: str) -> TinyDinoVisionTransformer:
    """The tiny model for a hub entry name (``_reg`` entries get 4 register tokens)."""
    return TinyDinoVisionTransformer(num_register_tokens=4 if model.endswith("_reg") else 0)


def fake_hub_load(repo_or_dir: str, model: str, *args: Any, **kwargs: Any) -> nn.Module:
    """Stands in for ``torch.hub.load``: DINOv2 entries give the tiny model, anything else
    fails loudly (so a test never reaches the network by accident)."""
    if repo_or_dir.split(":")[0] != DINOV2_HUB_REPO or model not in DINOV2_ENTRIES:
        raise AssertionError(f"smoke test: unexpected torch.hub.load({repo_or_dir!r}, {model!r})")
    allowed = {"pretrained", "source", "trust_repo", "force_reload", "verbose", "skip_validation"}
    unexpected = set(kwargs) - allowed
    if args or unexpected:
        raise AssertionError(f"smoke test: unexpected torch.hub.load arguments {args!r} {sorted(unexpected)!r}")
    return tiny_dinov2()
