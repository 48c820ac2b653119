"""The tables users extend: backbone builders, self-casting models, flags, image keys.

These are data, not code paths: adding a backbone is one line here (or one entry in
``[tool.bf16lint] backbones``). Names are matched against the *qualified* name of a
call (imports resolved: ``from timm import create_model`` makes ``create_model(...)``
read as ``timm.create_model``); an entry without a dot also matches the last component.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import FrozenSet, Tuple

# Calls that build a pretrained float32 vision backbone that does NOT cast its input.
BACKBONE_LOADERS: Tuple[str, ...] = (
    "torch.hub.load",
    "timm.create_model",
    "open_clip.create_model",
    "open_clip.create_model_and_transforms",
    "open_clip.create_model_from_pretrained",
    "segment_anything.sam_model_registry",
    "sam_model_registry",
    "build_sam",
    "build_sam_vit_h",
    "build_sam_vit_l",
    "build_sam_vit_b",
    "build_sam2",
    "build_sam3_image_model",
)
# Calls whose result is a tuple with the model first.
TUPLE_RETURNING_LOADERS: FrozenSet[str] = frozenset(
    {
        "open_clip.create_model_and_transforms",
        "open_clip.create_model_from_pretrained",
        "clip.load",
    }
)
# Any call under these prefixes builds a torchvision model (pretrained when weights=/pretrained=).
TORCHVISION_PREFIXES: Tuple[str, ...] = ("torchvision.models.",)
# timm.create_model builds float32 weights pretrained or not (a random-init model crashes on a
# bf16 batch the same way); torchvision.models.* calls count only with weights=/pretrained=,
# since that prefix also names helpers that build no model.

# torch.hub repositories whose entries are pretrained fp32 vision backbones that do not cast
# their input. Any other repository is obscure (NVlabs/RADIO casts its own input, most are
# not vision models): a backbone only when a `backbones` entry names the repository.
HUB_VISION_REPOS: FrozenSet[str] = frozenset(
    {
        "facebookresearch/dinov2",
        "facebookresearch/dino",
        "facebookresearch/deit",
        "facebookresearch/swav",
        "facebookresearch/barlowtwins",
        "facebookresearch/vicreg",
        "facebookresearch/WSL-Images",
        "facebookresearch/semi-supervised-ImageNet1K-models",
        "pytorch/vision",
        "rwightman/gen-efficientnet-pytorch",
        "NVIDIA/DeepLearningExamples",
    }
)


def hub_repo_is_backbone(repo, configured=()) -> bool:
    """`torch.hub.load(repo, ...)`: 'owner/name[:ref]' in the table or in the user's entries."""
    if not isinstance(repo, str):
        return False
    name = repo.split(":", 1)[0].rstrip("/")
    return name in HUB_VISION_REPOS or name in configured


# torch.hub repositories that are not vision backbones.
NON_VISION_HUB_REPOS: Tuple[str, ...] = (
    "huggingface/pytorch-transformers",
    "snakers4/silero-vad",
    "snakers4/silero-models",
    "pytorch/fairseq",
    "facebookresearch/fairseq",
)

# Hugging Face classes (used with .from_pretrained) that do not cast pixel_values.
HF_BACKBONE_CLASSES: FrozenSet[str] = frozenset(
    {
        "ResNetModel",
        "ResNetForImageClassification",
        "ResNetBackbone",
        "ConvNextModel",
        "ConvNextForImageClassification",
        "ConvNextBackbone",
        "ConvNextV2Model",
        "ConvNextV2ForImageClassification",
        "RegNetModel",
        "RegNetForImageClassification",
        "EfficientNetModel",
        "EfficientNetForImageClassification",
        "MobileNetV2Model",
        "MobileNetV2ForImageClassification",
    }
)
# Hugging Face classes whose embeddings cast pixel_values to their weight dtype.
SELF_CASTING_CLASSES: FrozenSet[str] = frozenset(
    {
        "Dinov2Model",
        "Dinov2WithRegistersModel",
        "Dinov2ForImageClassification",
        "Dinov2Backbone",
        "ViTModel",
        "ViTForImageClassification",
        "CLIPVisionModel",
        "CLIPVisionModelWithProjection",
        "CLIPModel",
        "SiglipVisionModel",
        "SiglipModel",
        "Siglip2VisionModel",
    }
)
# Calls that build models that cast their own input (OpenAI CLIP: image.type(self.dtype)).
SELF_CASTING_LOADERS: Tuple[str, ...] = ("clip.load",)
# AutoModel* classes are resolved by checkpoint name.
HF_AUTO_PREFIX = "AutoModel"
SELF_CASTING_CHECKPOINT = re.compile(r"dinov2|/vit-|openai/clip|clip-vit|siglip|laion/clip", re.I)
BACKBONE_CHECKPOINT = re.compile(r"resnet|convnext|regnet|efficientnet|mobilenet", re.I)

# open_clip `precision=`: the dtype of the weights it builds ("amp*" keeps fp32 weights).
OPEN_CLIP_PRECISIONS = {
    "fp32": "fp32", "amp": "fp32", "amp_bf16": "fp32", "amp_bfloat16": "fp32",
    "bf16": "bf16", "pure_bf16": "bf16", "fp16": "fp16", "pure_fp16": "fp16",
}


# Library helpers that map a precision string to a dtype: name -> {string: dtype}; any
# other string gives None (no cast).
DTYPE_HELPERS = {
    "open_clip.get_cast_dtype": {"bf16": "bf16", "pure_bf16": "bf16", "fp16": "fp16", "pure_fp16": "fp16"},
    "open_clip_train.precision.get_cast_dtype": {"bf16": "bf16", "pure_bf16": "bf16", "fp16": "fp16",
                                                 "pure_fp16": "fp16"},
}


def open_clip_precision(value, default_dtype: str) -> str:
    """A literal precision names the weights' dtype; any other value (an option, a config
    entry, the same value the input dtype comes from) may match the input: "other"."""
    from ..values import Const

    if isinstance(value, Const):
        if value.value is None:
            return default_dtype
        return OPEN_CLIP_PRECISIONS.get(value.value, "other") if isinstance(value.value, str) else "other"
    return "other"


# Names of boolean flags (variables, attributes, keyword arguments) that switch data to bf16.
BF16_FLAGS: FrozenSet[str] = frozenset(
    {
        "use_bf16",
        "bf16",
        "full_bf16",
        "enable_bf16",
        "use_bfloat16",
        "bfloat16",
        "bf16_cache",
        "cache_bf16",
        "mixed_precision",
        "precision",
    }
)
# Keyword arguments that carry a dtype into a data source (``dtype=torch.bfloat16``).
DTYPE_KWARGS: FrozenSet[str] = frozenset(
    {"dtype", "torch_dtype", "weight_dtype", "amp_dtype", "cache_dtype", "storage_dtype", "image_dtype"}
)

# Dict keys that carry images; the fix casts only these, never labels.
IMAGE_KEYS: Tuple[str, ...] = (
    "image",
    "images",
    "img",
    "imgs",
    "pixel_values",
    "pixels",
    "input",
    "inputs",
    "x",
    "rgb",
    "frames",
    "crops",
)

# Methods of a model that take the image batch (everything else, like .to or .eval, does not).
NON_INPUT_METHODS: FrozenSet[str] = frozenset(
    {
        "to", "cuda", "cpu", "eval", "train", "half", "float", "bfloat16", "double", "type",
        "parameters", "named_parameters", "buffers", "named_buffers", "modules", "named_modules",
        "children", "named_children", "state_dict", "load_state_dict", "zero_grad", "apply",
        "requires_grad_", "register_forward_hook", "register_forward_pre_hook",
        "register_buffer", "register_parameter", "register_module", "add_module", "get_submodule",
        "save_pretrained", "push_to_hub", "resize_token_embeddings", "freeze", "unfreeze",
        "compile", "share_memory", "extra_repr", "set_grad_checkpointing", "reset_classifier",
        "get_classifier", "no_weight_decay", "default_cfg", "convert_sync_batchnorm",
        # SAM: normalises with float32 buffers and pads; its output is not bf16.
        "preprocess", "postprocess_masks", "postprocess",
    }
)
# Module methods that hand back the same module (chained: `model.cuda().eval()`); also
# `nn.SyncBatchNorm.convert_sync_batchnorm(model)`, called on the class with the model.
SAME_MODULE_METHODS: FrozenSet[str] = frozenset(
    {"to", "cuda", "cpu", "eval", "train", "requires_grad_", "compile", "share_memory", "convert_sync_batchnorm"}
)

# Text evidence for the prefilter: a file can only hold the bug when it mentions bf16 AND
# builds a backbone the analysis recognises. Each backbone group lists patterns that must
# ALL appear (a torchvision import alone builds nothing; `weights=` alone is any loss).
# They are cheap regex searches over the raw bytes (notebook JSON too), and each group
# must stay at least as wide as what analysis/interpreter.py recognises as a backbone.
# Literal tokens, tested with `bytes in bytes` (far faster than a regex alternation).
BF16_EVIDENCE: Tuple[bytes, ...] = (b"bf16", b"bfloat16", b"BF16", b"BFLOAT16", b"Bf16", b"BFloat16")
BACKBONE_EVIDENCE_GROUPS: Tuple[Tuple[str, ...], ...] = (
    (r"hub\.load\b",),
    (r"open_clip",),
    (r"sam_model_registry|build_sam(?:_vit_[hlb]|2|3_image_model)?\s*\(",),
    (r"\btimm\b", r"create_model"),
    (r"torchvision", r"\b(?:weights|pretrained)\s*="),
    (r"\b(?:ResNet|ConvNext|ConvNextV2|RegNet|EfficientNet|MobileNetV2)(?:Model|ForImageClassification|Backbone)\b",),
    (r"AutoModel", r"(?i:resnet|convnext|regnet|efficientnet|mobilenet)"),
)


@dataclass(frozen=True)
class Knowledge:
    """The tables in effect for one run: the defaults plus the user's configuration."""

    backbones: Tuple[str, ...] = BACKBONE_LOADERS
    self_casting: Tuple[str, ...] = SELF_CASTING_LOADERS
    hf_backbone_classes: FrozenSet[str] = HF_BACKBONE_CLASSES
    self_casting_classes: FrozenSet[str] = SELF_CASTING_CLASSES
    bf16_flags: FrozenSet[str] = BF16_FLAGS
    image_keys: Tuple[str, ...] = IMAGE_KEYS
    # Configured factories that return a tuple: (name, index of the model in it).
    tuple_models: Tuple[Tuple[str, int], ...] = ()
    _prefilter: Tuple = field(default=(), compare=False, repr=False)

    def extended(self, backbones=(), self_casting=(), bf16_flags=(), image_keys=None) -> "Knowledge":
        # `models.build[1]`: models.build builds a backbone, element 1 of its result.
        elements = tuple((b[: b.index("[")], int(b[b.index("[") + 1 : -1])) for b in backbones
                         if b.endswith("]") and "[" in b)
        backbones = tuple(b[: b.index("[")] if b.endswith("]") and "[" in b else b for b in backbones)
        return Knowledge(
            backbones=self.backbones + tuple(backbones),
            self_casting=self.self_casting + tuple(self_casting),
            hf_backbone_classes=self.hf_backbone_classes | frozenset(b for b in backbones if "." not in b),
            self_casting_classes=self.self_casting_classes
            | frozenset(s for s in self_casting if "." not in s),
            bf16_flags=self.bf16_flags | frozenset(bf16_flags),
            image_keys=tuple(image_keys) if image_keys else self.image_keys,
            tuple_models=self.tuple_models + elements,
        )

    def tuple_model_index(self, qualified: str):
        """Where the model sits in what a configured tuple-returning factory returns."""
        for name, index in self.tuple_models:
            if matches(qualified, (name,)):
                return index
        return None

    def prefilter(self):
        """The compiled evidence: (bf16 tokens, backbone groups of bytes patterns)."""
        if not self._prefilter:
            tokens = BF16_EVIDENCE + tuple(f.encode("utf-8") for f in sorted(self.bf16_flags - BF16_FLAGS))
            groups = list(BACKBONE_EVIDENCE_GROUPS)
            groups += [(re.escape(b.rsplit(".", 1)[-1]),) for b in set(self.backbones) - set(BACKBONE_LOADERS)]
            groups += [(re.escape(c),) for c in self.hf_backbone_classes - HF_BACKBONE_CLASSES]
            compiled = tuple(tuple(re.compile(p.encode("utf-8")) for p in group) for group in groups)
            object.__setattr__(self, "_prefilter", (tokens, compiled))
        return self._prefilter

    def may_contain_bug(self, text: str) -> bool:
        # flake8 hands over text: rule most files out before paying for an encode.
        tokens, _ = self.prefilter()
        if not any(token.decode("utf-8") in text for token in tokens):
            return False
        return self.may_contain_bug_bytes(text.encode("utf-8", "surrogatepass"))

    def may_contain_bug_bytes(self, data: bytes) -> bool:
        """The test on undecoded bytes (UTF-8 and latin-1 files alike): most files are
        rejected here without being decoded or parsed."""
        tokens, groups = self.prefilter()
        if not any(token in data for token in tokens):
            return False
        return any(all(p.search(data) is not None for p in group) for group in groups)


DEFAULT_KNOWLEDGE = Knowledge()


def matches(qualified: str, entries) -> bool:
    """True when a qualified call name matches a table entry (dotted: exact or suffix;
    undotted: the last component)."""
    last = qualified.rsplit(".", 1)[-1]
    for entry in entries:
        if "." in entry:
            if qualified == entry or qualified.endswith("." + entry):
                return True
        elif last == entry:
            return True
    return False
