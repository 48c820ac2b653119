"""The backbones a bf16 image can reach (RULES.md "Backbones" and "Self-casting"), each with
the ways code builds and calls it. Only what the oracle's stand-ins offer is used."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Tuple

from .parts import Parts


@dataclass(frozen=True)
class Sink:
    name: str
    imports: Tuple[str, ...]
    build: Callable[[Parts, str], List[str]]  # lines that bind the target to the backbone
    call: Callable[[Parts, str, str], str]  # (model expr, image expr) -> a tensor expression
    tensor_out: bool = True  # model(x) is a tensor (so nn.Sequential and heads work)
    features: bool = False  # has forward_features
    hf: bool = False  # takes pixel_values= (HF)
    size: int = 32
    self_casting: bool = False
    features_call: str = "{m}.forward_features({x})"


def _plain(p, m, x):
    return f"{m}({x})"


def _hub(p: Parts, target: str) -> List[str]:
    entry = p.pick("dinov2_vits14", "dinov2_vitb14", "dinov2_vits14_reg", "dinov2_vitl14")
    quote = p.pick('"', "'")
    return [f"{target} = torch.hub.load({quote}facebookresearch/dinov2{quote}, {quote}{entry}{quote})"]


def _timm(names):
    def build(p: Parts, target: str) -> List[str]:
        name = p.pick(*names)
        extra = p.pick("", ", num_classes=0", ", num_classes=10")
        return [f'{target} = timm.create_model("{name}", pretrained=True{extra})']
    return build


def _torchvision(p: Parts, target: str) -> List[str]:
    arch, enum = p.pick(("resnet18", "ResNet18_Weights"), ("resnet50", "ResNet50_Weights"),
                        ("convnext_tiny", "ConvNeXt_Tiny_Weights"), ("efficientnet_b0", "EfficientNet_B0_Weights"),
                        ("mobilenet_v3_small", "MobileNet_V3_Small_Weights"))
    style = p.pick("enum", "module", "get_model", "pretrained")
    if style == "enum":
        p.imports.add(f"from torchvision.models import {arch}, {enum}")
        return [f"{target} = {arch}(weights={enum}.{p.pick('DEFAULT', 'IMAGENET1K_V1')})"]
    p.imports.add("from torchvision import models")
    if style == "module":
        return [f"{target} = models.{arch}(weights=models.{enum}.DEFAULT)"]
    if style == "get_model":
        return [f'{target} = models.get_model("{arch}", weights="DEFAULT")']
    return [f"{target} = models.{arch}(pretrained=True)"]


def _open_clip(p: Parts, target: str) -> List[str]:
    arch = p.pick("ViT-B-32", "ViT-B-16", "RN50")
    precision = p.names.get("oc_precision")
    extra = f", precision={precision}" if precision else p.pick("", "", ', precision="fp32"')
    if p.rng.random() < 0.7:
        return [f'{target}, _, preprocess = open_clip.create_model_and_transforms("{arch}", pretrained="openai"{extra})']
    return [f'{target} = open_clip.create_model("{arch}", pretrained="laion2b_s34b_b79k"{extra})']


def _openai_clip(p: Parts, target: str) -> List[str]:
    device = p.pick('"cuda"', p.names["device"]) if not p.names.get("in_chunk") else '"cuda"'
    return [f'{target}, preprocess = clip.load("{p.pick("ViT-B/32", "ViT-B/16", "RN50")}", device={device})']


def _sam(p: Parts, target: str) -> List[str]:
    kind = p.pick("vit_b", "vit_l", "default")
    if p.rng.random() < 0.5:
        return [f'{target} = sam_model_registry["{kind}"](checkpoint=None)']
    return [f'sam = sam_model_registry["{kind}"](checkpoint=None)', f"{target} = sam"]


def _hf(classes, checkpoints):
    def build(p: Parts, target: str) -> List[str]:
        cls = p.pick(*classes)
        p.imports.add(f"from transformers import {cls}")
        ckpt = p.pick(*checkpoints)
        extra = f", torch_dtype={p.names['hf_dtype']}" if p.names.get("hf_dtype") else ""
        # SHAPES.md A: the checkpoint name is often not a literal at the call.
        style = p.pick("literal", "literal", "env", "fstring", "dict", "constant")
        lines = []
        if style == "literal":
            name = f'"{ckpt}"'
        elif style == "env":
            p.imports.add("import os")
            lines.append(f'ckpt = os.environ.get("BACKBONE_CKPT", "{ckpt}")')
            name = "ckpt"
        elif style == "fstring":
            head, _, tail = ckpt.rpartition("-")
            lines.append(f'variant = "{tail}"')
            name = f'f"{head}-{{variant}}"'
        elif style == "dict":
            lines.append(f'checkpoints = {{"default": "{ckpt}", "large": "{ckpt}"}}')
            name = 'checkpoints["default"]'
        else:
            lines.append(f'checkpoint_name = "{ckpt}"')
            name = "checkpoint_name"
        return lines + [f"{target} = {cls}.from_pretrained({name}{extra})"]
    return build


def _hf_call(p: Parts, m: str, x: str) -> str:
    # AutoModelForImageClassification has .logits; base models have pooler_output.
    arg = p.pick(x, f"pixel_values={x}")
    return f"{m}({arg}).{p.pick('pooler_output', 'last_hidden_state')}"


SINKS = {
    "hub_dinov2": Sink("hub_dinov2", ("import torch",), _hub, _plain, size=28, features=True,
                       features_call='{m}.forward_features({x})["x_norm_clstoken"]'),
    "timm_vit": Sink("timm_vit", ("import timm",), _timm(["vit_small_patch16_224", "vit_base_patch16_224", "deit_small_patch16_224"]), _plain, features=True),
    "timm_convnext": Sink("timm_convnext", ("import timm",), _timm(["convnext_tiny", "convnext_small", "convnext_nano"]), _plain, features=True),
    "timm_resnet": Sink("timm_resnet", ("import timm",), _timm(["resnet50", "resnet18", "efficientnet_b0", "regnety_008"]), _plain, features=True),
    "torchvision": Sink("torchvision", (), _torchvision, _plain),
    "open_clip": Sink("open_clip", ("import open_clip",), _open_clip, lambda p, m, x: f"{m}.encode_image({x})", tensor_out=False),
    "sam": Sink("sam", ("from segment_anything import sam_model_registry",), _sam, lambda p, m, x: f"{m}.image_encoder({x})", tensor_out=False),
    "hf_resnet": Sink("hf_resnet", (), _hf(["ResNetModel", "AutoModel"], ["microsoft/resnet-18", "microsoft/resnet-50"]), _hf_call, tensor_out=False, hf=True),
    "hf_convnext": Sink("hf_convnext", (), _hf(["ConvNextModel", "AutoModel"], ["facebook/convnext-tiny-224", "facebook/convnext-small-224"]), _hf_call, tensor_out=False, hf=True),
    "hf_dinov2": Sink("hf_dinov2", (), _hf(["Dinov2Model", "AutoModel"], ["facebook/dinov2-small", "facebook/dinov2-base"]), _hf_call, tensor_out=False, hf=True, size=28, self_casting=True),
    "hf_vit": Sink("hf_vit", (), _hf(["ViTModel", "AutoModel"], ["google/vit-base-patch16-224"]), _hf_call, tensor_out=False, hf=True, self_casting=True),
    "openai_clip": Sink("openai_clip", ("import clip",), _openai_clip, lambda p, m, x: f"{m}.encode_image({x})",
                        tensor_out=False, self_casting=True),
}
