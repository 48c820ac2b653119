#!/usr/bin/env python3
"""Deterministic generator of a realistic PyTorch corpus for benchmarking bf16lint.

The corpus imitates the shapes real repositories have: a model zoo with long library-like
modules, self-supervised and segmentation/detection toolboxes with many short configs,
an "examples" repository of CLI training scripts, bf16-dense libraries in the style of
diffusers / accelerate / peft / Lightning (dtype helpers, ``weight_dtype``, ``bf16=True``,
``precision="bf16-mixed"``) that never load a vision backbone, and notebook collections
(nbformat v4 JSON, mixed markdown and code, some outputs, some embedded images).

A handful of files carry the real bug (a bf16 image batch reaching a
``torch.hub.load('facebookresearch/dinov2', ...)`` or ``timm.create_model(...,
pretrained=True)`` backbone outside autocast), and more carry near misses (the same flow
with a ``.float()`` cast, a bf16 backbone, autocast, a self-casting HF model, ...).
What was planted where is listed in ``MANIFEST.json`` at the corpus root; those labels
are the generator's intent, not a verdict on what a linter must report.

Every byte is a function of ``--seed``, ``--scale`` and ``--profile`` only (string-seeded
``random.Random`` per file, no set/dict-order dependence, no clock), so two runs with the
same arguments write identical trees.

    python benchmarks/make_corpus.py                 # ~4,000 .py / ~700k lines / ~500 notebooks
    python benchmarks/make_corpus.py --scale 2 --out /tmp/corpus2
    python benchmarks/make_corpus.py --profile libs  # bf16-dense mix, like PERF.md's corpus
"""
from __future__ import annotations

import argparse
import base64
import builtins
import json
import math
import os
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

GENERATOR_VERSION = 2
DEFAULT_OUT = Path(__file__).resolve().parent / "corpus"
MANIFEST = "MANIFEST.json"

# Text scans used for the statistics (and documented in benchmarks/README.md).
BF16_RE = re.compile(r"bf16|bfloat16", re.IGNORECASE)
BACKBONE_RE = re.compile(
    r"torch\.hub\.load\(|timm\.create_model\(|\bcreate_model\(|open_clip\.create_model"
    r"|sam_model_registry\[|build_sam\w*\(|models\.\w+\((?:weights|pretrained)="
    r"|(?:ResNet|ConvNext|AutoModel|AutoModelForImageClassification|Dinov2Model|ViTModel|CLIPVisionModel)"
    r"\.from_pretrained\("
)

# ---------------------------------------------------------------------------------------
# vocabulary
# ---------------------------------------------------------------------------------------
W_MOD = (
    "patch embed attention block stage stem head neck fpn decoder encoder mixer gate "
    "router pool proj norm residual bottleneck dense sparse window shift token query "
    "cross local global spatial channel depthwise pointwise squeeze excite fusion pyramid "
    "lateral upsample downsample refine aux seg det cls mask point prompt memory conv "
    "inverted mobile ghost efficient hybrid dual multi scale context aspp crf"
).split()
W_CLS_SUFFIX = "Block Layer Module Net Head Encoder Decoder Attention Mlp Stage Embed Neck Fusion".split()
W_DATA = (
    "image coco voc ade cityscapes imagenet places inat food flowers pets cars birds "
    "satellite medical xray retina histology aerial depth stereo video frame crop patch "
    "tile slide scene indoor outdoor synthetic"
).split()
W_VERB = (
    "build make create load get compute update apply prepare init setup resolve convert "
    "merge split filter normalize resize collect gather reduce sync parse register"
).split()
W_NOUN = (
    "config model optimizer scheduler loader dataset sampler metric checkpoint state "
    "weights params groups tokens features logits targets boxes masks labels stats "
    "buffer cache table registry args kwargs layers blocks stages heads outputs"
).split()
W_TEXT = (
    "the a this that we our it its model layer input output tensor batch feature map "
    "training evaluation returns computes applies uses stores keeps expects shape of "
    "in for with from to by on as each every optional default value when if otherwise "
    "number channels dimension resolution stride kernel padding dropout rate weight "
    "decay learning schedule warmup epoch step iteration device distributed process "
    "rank world size gradient accumulation clip norm mean std image images pixels "
    "augmentation crop flip jitter random center"
).split()
ACTS = ["ReLU", "GELU", "SiLU", "Hardswish", "LeakyReLU", "Mish"]
NORMS = ["BatchNorm2d", "GroupNorm", "LayerNorm", "InstanceNorm2d"]
TIMM_MODELS = [
    "resnet50", "resnet18", "convnext_tiny", "convnext_small", "vit_base_patch16_224",
    "vit_small_patch16_224", "efficientnet_b0", "regnety_016", "swin_tiny_patch4_window7_224",
    "deit_small_patch16_224", "vit_small_patch14_dinov2.lvd142m", "eva02_small_patch14_224",
    "mobilenetv3_large_100", "beit_base_patch16_224",
]
DINO_ENTRIES = ["dinov2_vits14", "dinov2_vitb14", "dinov2_vitl14", "dinov2_vits14_reg", "dinov2_vitb14_reg"]
DINO_DIMS = {"dinov2_vits14": 384, "dinov2_vitb14": 768, "dinov2_vitl14": 1024,
             "dinov2_vits14_reg": 384, "dinov2_vitb14_reg": 768}
TV_MODELS = ["resnet50", "resnet18", "vit_b_16", "convnext_tiny", "efficientnet_b0", "swin_t", "regnet_y_800mf"]
HF_TEXT = ["openai/clip-vit-large-patch14", "t5-base", "bert-base-uncased", "stabilityai/sd-vae-ft-mse",
           "runwayml/stable-diffusion-v1-5", "google/flan-t5-large", "meta-llama/Llama-2-7b-hf"]
LICENSES = [
    ["# Copyright (c) Meta Platforms, Inc. and affiliates.", "# All rights reserved.", "#",
     "# This source code is licensed under the license found in the", "# LICENSE file in the root directory of this source tree."],
    ["# Copyright 2024 The HuggingFace Team. All rights reserved.", "#",
     '# Licensed under the Apache License, Version 2.0 (the "License");',
     "# you may not use this file except in compliance with the License.",
     "# You may obtain a copy of the License at", "#", "#     http://www.apache.org/licenses/LICENSE-2.0", "#",
     "# Unless required by applicable law or agreed to in writing, software",
     '# distributed under the License is distributed on an "AS IS" BASIS,',
     "# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.",
     "# See the License for the specific language governing permissions and",
     "# limitations under the License."],
    ["# Copyright (c) OpenMMLab. All rights reserved."],
    ["# SPDX-License-Identifier: MIT"],
    [],
    [],
]


class Gen:
    """Randomness plus naming helpers; one per file, seeded by a string."""

    def __init__(self, seed: str):
        self.r = random.Random(seed)
        self._used: List[str] = []
        self.units_used: List[str] = []
        self.train_fn = "train_one_epoch"
        self.runtime_device = False
        self.eval_fn = "evaluate"

    def pick(self, seq: Sequence):
        return seq[self.r.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def i(self, lo: int, hi: int) -> int:
        return self.r.randint(lo, hi)

    def f(self, choices: Sequence[str]) -> str:
        return self.pick(choices)

    def uniq(self, make: Callable[[], str]) -> str:
        for _ in range(50):
            n = make()
            if n not in self._used:
                self._used.append(n)
                return n
        n = make() + str(len(self._used))
        self._used.append(n)
        return n

    def cls(self, suffixes: Sequence[str] = W_CLS_SUFFIX) -> str:
        def make():
            k = self.i(1, 2)
            return "".join(self.pick(W_MOD).capitalize() for _ in range(k)) + self.pick(suffixes)
        return self.uniq(make)

    def fn(self, verbs: Sequence[str] = W_VERB) -> str:
        def make():
            parts = [self.pick(verbs), self.pick(W_NOUN)]
            if self.chance(0.4):
                parts.insert(1, self.pick(W_MOD))
            return "_".join(parts)
        return self.uniq(make)

    def var(self) -> str:
        return self.pick(W_NOUN) if self.chance(0.6) else f"{self.pick(W_MOD)}_{self.pick(W_NOUN)}"

    def sentence(self, lo: int = 5, hi: int = 14) -> str:
        words = [self.pick(W_TEXT) for _ in range(self.i(lo, hi))]
        s = " ".join(words)
        return s[0].upper() + s[1:] + "."

    def doc(self, indent: str, args: Sequence[str] = (), returns: bool = False) -> List[str]:
        if self.chance(0.25):
            return []
        out = [f'{indent}"""{self.sentence()}']
        if self.chance(0.5) or args:
            out.append("")
            for _ in range(self.i(0, 2)):
                out.append(f"{indent}{self.sentence(8, 16)}")
            if args and self.chance(0.7):
                out.append("")
                out.append(f"{indent}Args:")
                for a in args:
                    out.append(f"{indent}    {a}: {self.sentence(3, 9)}")
            if returns and self.chance(0.6):
                out.append("")
                out.append(f"{indent}Returns:")
                out.append(f"{indent}    {self.sentence(3, 8)}")
            out.append(f'{indent}"""')
        else:
            out[0] += '"""'
        return [ln if ln.strip() else "" for ln in out]

    def comment(self, indent: str) -> List[str]:
        return [f"{indent}# {self.sentence(4, 11).rstrip('.').lower()}"] if self.chance(0.3) else []

    def lr(self) -> str:
        return self.pick(["1e-3", "3e-4", "1e-4", "5e-4", "2e-5", "0.1", "0.01", "6e-4", "1.5e-4"])

    def wd(self) -> str:
        return self.pick(["0.05", "1e-4", "0.0", "0.01", "5e-4", "0.1"])

    def ch(self) -> int:
        return self.pick([32, 48, 64, 96, 128, 192, 256, 320, 384, 512, 768, 1024])

    def size(self) -> int:
        return self.pick([224, 256, 384, 448, 518, 192, 160, 512])

    def randbytes(self, n: int) -> bytes:
        return bytes(self.r.getrandbits(8) for _ in range(n)) if n < 64 else self.r.randbytes(n)


class Code:
    """Lines of code plus marks: (line index within these lines, label) for the manifest."""

    def __init__(self, lines: Optional[List[str]] = None, marks: Optional[List[Tuple[int, str]]] = None):
        self.lines = lines or []
        self.marks = marks or []

    def add(self, other) -> "Code":
        if isinstance(other, Code):
            base = len(self.lines)
            self.lines.extend(other.lines)
            self.marks.extend((base + i, lab) for i, lab in other.marks)
        else:
            self.lines.extend(other)
        return self

    def mark(self, label: str, offset: int = -1) -> None:
        """Mark the line just added (or the one at `offset` from the end)."""
        self.marks.append((len(self.lines) + offset, label))


def sep(c: "Code") -> None:
    """Exactly two blank lines after the last unit."""
    while c.lines and c.lines[-1] == "":
        c.lines.pop()
    c.lines.extend(["", ""])


def block(text: str, indent: str = "") -> List[str]:
    """Dedent a template and re-indent it; blank lines stay empty."""
    lines = text.lstrip("\n").split("\n")
    if lines and not lines[-1].strip():
        lines.pop()  # the closing line of the template (indentation before the quotes)
    pad = min((len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()), default=0)
    return [(indent + ln[pad:]) if ln.strip() else "" for ln in lines]


# ---------------------------------------------------------------------------------------
# imports and headers
# ---------------------------------------------------------------------------------------
def prelude(g: Gen) -> List[str]:
    """Shebang, coding cookie, license, module docstring, __future__: what precedes the imports."""
    out: List[str] = []
    if g.chance(0.03):
        out.append("#!/usr/bin/env python3")
    if g.chance(0.05):
        out.append("# -*- coding: utf-8 -*-")
    lic = g.pick(LICENSES)
    out.extend(lic)
    if lic:
        out.append("")
    if g.chance(0.6):
        out.append(f'"""{g.sentence(4, 10)}')
        if g.chance(0.5):
            out.append("")
            out.append(g.sentence(8, 18))
            if g.chance(0.2):
                out.append("Based on ideas from the original paper \u2014 see the README for details.")
        out.append('"""')
    if g.chance(0.3):
        out.append("from __future__ import annotations")
    return out


# name -> (group, module, imported name or None for "import module [as name]")
# group: 0 stdlib, 1 third party, 2 first party (a sibling module of the package)
KNOWN: List[Tuple[str, int, str, Optional[str]]] = [
    ("math", 0, "math", None), ("os", 0, "os", None), ("sys", 0, "sys", None), ("time", 0, "time", None),
    ("json", 0, "json", None), ("copy", 0, "copy", None), ("random", 0, "random", None),
    ("logging", 0, "logging", None), ("warnings", 0, "warnings", None), ("contextlib", 0, "contextlib", None),
    ("itertools", 0, "itertools", None), ("argparse", 0, "argparse", None),
    ("partial", 0, "functools", "partial"), ("OrderedDict", 0, "collections", "OrderedDict"),
    ("Path", 0, "pathlib", "Path"), ("dataclass", 0, "dataclasses", "dataclass"), ("field", 0, "dataclasses", "field"),
    ("Any", 0, "typing", "Any"), ("Callable", 0, "typing", "Callable"), ("Dict", 0, "typing", "Dict"),
    ("List", 0, "typing", "List"), ("Optional", 0, "typing", "Optional"), ("Tuple", 0, "typing", "Tuple"),
    ("Union", 0, "typing", "Union"), ("Sequence", 0, "typing", "Sequence"),
    ("np", 1, "numpy", "np"), ("torch", 1, "torch", None), ("nn", 1, "torch.nn", "nn"),
    ("F", 1, "torch.nn.functional", "F"), ("dist", 1, "torch.distributed", "dist"), ("Tensor", 1, "torch", "Tensor"),
    ("Dataset", 1, "torch.utils.data", "Dataset"), ("DataLoader", 1, "torch.utils.data", "DataLoader"),
    ("Image", 1, "PIL", "Image"), ("pytest", 1, "pytest", None), ("timm", 1, "timm", None),
    ("torchvision", 1, "torchvision", None), ("datasets", 1, "torchvision", "datasets"),
    ("AutoTokenizer", 1, "transformers", "AutoTokenizer"), ("CLIPTextModel", 1, "transformers", "CLIPTextModel"),
    ("T5EncoderModel", 1, "transformers", "T5EncoderModel"), ("Dinov2Model", 1, "transformers", "Dinov2Model"),
    ("AutoModelForCausalLM", 1, "transformers", "AutoModelForCausalLM"),
    ("plt", 1, "matplotlib.pyplot", "plt"), ("pd", 1, "pandas", "pd"), ("sns", 1, "seaborn", "sns"),
    ("T", 1, "torchvision.transforms", "T"),
    ("AutoencoderKL", 1, "diffusers", "AutoencoderKL"), ("UNet2DConditionModel", 1, "diffusers", "UNet2DConditionModel"),
    ("DropPath", 2, "layers", "DropPath"), ("LayerScale", 2, "layers", "LayerScale"),
    ("to_2tuple", 2, "layers", "to_2tuple"), ("register_model", 2, "_registry", "register_model"),
    ("build_model_with_cfg", 2, "_builder", "build_model_with_cfg"),
    ("IMAGENET_DEFAULT_MEAN", 2, "constants", "IMAGENET_DEFAULT_MEAN"),
    ("IMAGENET_DEFAULT_STD", 2, "constants", "IMAGENET_DEFAULT_STD"),
    ("build_transform", 2, "transforms", "build_transform"),
    ("cast_training_params", 2, "training_utils", "cast_training_params"),
    ("recursively_apply", 2, "operations", "recursively_apply"),
    ("apply_to_collection", 2, "apply_func", "apply_to_collection"),
    ("_convert_fp_tensor", 2, "apply_func", "_convert_fp_tensor"),
    ("is_bf16_available", 2, "imports", "is_bf16_available"), ("MixedPrecision", 2, "precision", "MixedPrecision"),
]
_STD_EXTRAS = ["os", "math", "time", "warnings", "copy", "json", "sys", "Optional", "List", "Dict", "partial", "itertools"]
_IDENT = re.compile(r"(?<![\w.\"'])([A-Za-z_]\w*)")
_CALLED_CLASS = re.compile(r"(?<![\w.\"'])([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)(?=[(,):\]])")
_DEFINED = re.compile(r"^\s*(?:def|class)\s+(\w+)|^(\w+)\s*(?::[^=\n]*)?=(?!=)"
                      r"|^(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s+\w+)\s+as\s+(\w+)"
                      r"|^from\s+[\w.]+\s+import\s+(\w+)\s*$", re.M)
_STRING = re.compile(r"([rRbBuUfF]{0,2})(\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')")
_COMMENT = re.compile(r"#[^\n]*")
_IMPORT_LINE = re.compile(r"^[ \t]*(?:from\s+[\w.]+\s+)?import\s[^\n]*", re.M)


def _code_only(body: str) -> str:
    """Drop comments and string literals (keeping the expressions inside f-strings)."""
    def repl(m):
        if "f" in m.group(1).lower():
            return " ".join(re.findall(r"\{([^{}]*)\}", m.group(2)))
        return '""'
    return _COMMENT.sub("", _STRING.sub(repl, body))


_BUILTIN_CLASSES = set(dir(builtins))
_PKG = ["mylib", "core", "src", "lib"]


def imports_for(g: Gen, body: str, kind: str) -> List[str]:
    """The import block a body needs (so linters see few undefined names), plus a few unused ones."""
    code = _code_only(body)
    defined = {a or b or c or d for a, b, c, d in _DEFINED.findall(code)}
    for stmt in _IMPORT_LINE.findall(code):
        names = stmt.split(" import ", 1)[1] if stmt.lstrip().startswith("from ") else stmt.split("import", 1)[1]
        for part in names.strip("() ").split(","):
            part = part.split(" as ")[-1].strip()
            if part:
                defined.add(part.split(".")[0])
    code = _IMPORT_LINE.sub("", code)
    used = set(_IDENT.findall(code))
    need: Dict[Tuple[int, str], List[str]] = {}
    plain: List[Tuple[int, str]] = []
    for name, group, module, alias in KNOWN:
        if name in used and name not in defined:
            if alias is None:
                plain.append((group, module))
            else:
                need.setdefault((group, module), []).append(alias)
    # project classes used but defined elsewhere in the package
    local = sorted({n for n in _CALLED_CLASS.findall(code) if n not in defined and n not in _BUILTIN_CLASSES
                    and not any(n == k[0] for k in KNOWN)})
    if local:
        need.setdefault((2, g.pick(["models", "modeling", "model", "networks"])), []).extend(local)
    # realistic leftovers: an unused stdlib import now and then
    if kind != "init" and g.chance(0.35):
        extra = g.pick(_STD_EXTRAS)
        for name, group, module, alias in KNOWN:
            if name == extra:
                if alias is None and (group, module) not in plain:
                    plain.append((group, module))
                elif alias is not None and alias not in need.get((group, module), []):
                    need.setdefault((group, module), []).append(alias)
    rel = kind in ("model", "layers", "data", "util", "lib", "init")
    groups: List[List[str]] = [[], [], []]
    for group, module in plain:
        groups[group].append(f"import {module}")
    for (group, module), names in need.items():
        if group == 2:
            src = f".{module}" if rel else f"{g.pick(_PKG)}.{module}"
            groups[2].append(f"from {src} import {', '.join(sorted(set(names)))}")
        elif module in ("numpy", "torch.nn", "torch.nn.functional", "torch.distributed", "matplotlib.pyplot",
                        "pandas", "seaborn", "torchvision.transforms") and len(names) == 1:
            groups[group].append(f"import {module} as {names[0]}")
        else:
            groups[group].append(f"from {module} import {', '.join(sorted(set(names)))}")
    out: List[str] = []
    for grp in groups:
        if grp:
            out.extend(sorted(grp, key=lambda s: (s.startswith("from "), s)))
            out.append("")
    if "logger" in used and "logger" not in defined:
        if "import logging" not in groups[0]:
            out[:0] = ["import logging", ""]
        out.extend(["logger = logging.getLogger(__name__)", ""])
    return out


def assemble(g: Gen, kind: str, c: "Code") -> Tuple[str, List[Tuple[int, str]]]:
    """Prelude + the imports the body needs + the body; marks shifted to 1-based file lines."""
    while c.lines and c.lines[-1] == "":
        c.lines.pop()
    body = "\n".join(c.lines)
    head = prelude(g)
    if head:
        head.append("")
    head.extend(imports_for(g, body, kind))
    if head and kind != "init":
        head.append("")
    text = "\n".join(head + c.lines) + "\n"
    return text, [(len(head) + i + 1, lab) for i, lab in c.marks]


# ---------------------------------------------------------------------------------------
# model units
# ---------------------------------------------------------------------------------------
def u_conv_block(g: Gen) -> Code:
    name, act, k = g.cls(["ConvBlock", "ConvBnAct", "ConvNormAct", "Stem", "BasicConv"]), g.pick(ACTS), g.pick([1, 3, 5, 7])
    c = Code([f"class {name}(nn.Module):"])
    c.add(g.doc("    ", ["in_chs", "out_chs"]))
    c.add(block(f"""
        def __init__(self, in_chs: int, out_chs: int, kernel_size: int = {k}, stride: int = 1,
                     groups: int = 1, act_layer=nn.{act}, drop: float = {g.pick(['0.0', '0.1', '0.2'])}):
            super().__init__()
            self.conv = nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride,
                                  padding=kernel_size // 2, groups=groups, bias=False)
            self.bn = nn.BatchNorm2d(out_chs, eps={g.pick(['1e-5', '1e-3', '1e-6'])}, momentum={g.pick(['0.1', '0.01', '0.03'])})
            self.act = act_layer({'inplace=True' if act in ('ReLU', 'SiLU', 'Hardswish') else ''})
            self.drop = nn.Dropout2d(drop) if drop > 0 else nn.Identity()
    """, "    "))
    c.add(g.comment("    "))
    c.add(block("""
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = self.conv(x)
            x = self.bn(x)
            x = self.act(x)
            return self.drop(x)
    """, "    "))
    return c


def u_bottleneck(g: Gen) -> Code:
    name, exp = g.cls(["Bottleneck", "BasicBlock", "ResBlock", "InvertedResidual"]), g.pick([1, 2, 4, 6])
    c = Code([f"class {name}(nn.Module):", f"    expansion = {exp}", ""])
    c.add(g.doc("    "))
    c.add(block(f"""
        def __init__(self, inplanes, planes, stride=1, downsample=None, dilation=1, norm_layer=None):
            super().__init__()
            norm_layer = norm_layer or nn.{g.pick(['BatchNorm2d', 'SyncBatchNorm'])}
            width = int(planes * ({g.pick([64, 32, 48])} / 64.0))
            self.conv1 = nn.Conv2d(inplanes, width, kernel_size=1, bias=False)
            self.bn1 = norm_layer(width)
            self.conv2 = nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=dilation,
                                   dilation=dilation, bias=False)
            self.bn2 = norm_layer(width)
            self.conv3 = nn.Conv2d(width, planes * self.expansion, kernel_size=1, bias=False)
            self.bn3 = norm_layer(planes * self.expansion)
            self.relu = nn.{g.pick(['ReLU', 'SiLU'])}(inplace=True)
            self.downsample = downsample
            self.stride = stride

        def zero_init_last(self):
            nn.init.zeros_(self.bn3.weight)

        def forward(self, x):
            identity = x

            out = self.conv1(x)
            out = self.bn1(out)
            out = self.relu(out)

            out = self.conv2(out)
            out = self.bn2(out)
            out = self.relu(out)

            out = self.conv3(out)
            out = self.bn3(out)

            if self.downsample is not None:
                identity = self.downsample(x)

            out += identity
            return self.relu(out)
    """, "    "))
    return c


def u_attention(g: Gen) -> Code:
    name = g.cls(["Attention", "SelfAttention", "WindowAttention", "MultiHeadAttention"])
    c = Code([f"class {name}(nn.Module):"])
    c.add(g.doc("    ", ["dim", "num_heads", "qkv_bias"]))
    fused = g.chance(0.6)
    c.add(block(f"""
        def __init__(self, dim: int, num_heads: int = {g.pick([4, 6, 8, 12, 16])}, qkv_bias: bool = {g.pick(['True', 'False'])},
                     qk_norm: bool = False, attn_drop: float = 0.0, proj_drop: float = 0.0,
                     norm_layer: nn.Module = nn.LayerNorm) -> None:
            super().__init__()
            assert dim % num_heads == 0, "dim should be divisible by num_heads"
            self.num_heads = num_heads
            self.head_dim = dim // num_heads
            self.scale = self.head_dim ** -0.5
            self.fused_attn = {fused}

            self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
            self.q_norm = norm_layer(self.head_dim) if qk_norm else nn.Identity()
            self.k_norm = norm_layer(self.head_dim) if qk_norm else nn.Identity()
            self.attn_drop = nn.Dropout(attn_drop)
            self.proj = nn.Linear(dim, dim)
            self.proj_drop = nn.Dropout(proj_drop)

        def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
            B, N, C = x.shape
            qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
            q, k, v = qkv.unbind(0)
            q, k = self.q_norm(q), self.k_norm(k)

            if self.fused_attn:
                x = F.scaled_dot_product_attention(
                    q, k, v,
                    attn_mask=attn_mask,
                    dropout_p=self.attn_drop.p if self.training else 0.0,
                )
            else:
                q = q * self.scale
                attn = q @ k.transpose(-2, -1)
                if attn_mask is not None:
                    attn = attn + attn_mask
                attn = attn.softmax(dim=-1)
                attn = self.attn_drop(attn)
                x = attn @ v

            x = x.transpose(1, 2).reshape(B, N, C)
            x = self.proj(x)
            x = self.proj_drop(x)
            return x
    """, "    "))
    return c


def u_mlp(g: Gen) -> Code:
    name, act = g.cls(["Mlp", "FeedForward", "GluMlp", "SwiGLU", "ConvMlp"]), g.pick(ACTS)
    c = Code([f"class {name}(nn.Module):"])
    c.add(g.doc("    "))
    c.add(block(f"""
        def __init__(self, in_features, hidden_features=None, out_features=None, act_layer=nn.{act}, drop={g.pick(['0.', '0.1'])}):
            super().__init__()
            out_features = out_features or in_features
            hidden_features = hidden_features or in_features * {g.pick([2, 4])}
            self.fc1 = nn.Linear(in_features, hidden_features)
            self.act = act_layer()
            self.drop1 = nn.Dropout(drop)
            self.fc2 = nn.Linear(hidden_features, out_features)
            self.drop2 = nn.Dropout(drop)

        def forward(self, x):
            x = self.fc1(x)
            x = self.act(x)
            x = self.drop1(x)
            x = self.fc2(x)
            x = self.drop2(x)
            return x
    """, "    "))
    return c


def u_transformer_block(g: Gen) -> Code:
    name = g.cls(["Block", "TransformerBlock", "EncoderLayer", "ResidualAttentionBlock"])
    attn, mlp = g.cls(["Attention"]), g.cls(["Mlp"])
    c = Code([f"class {name}(nn.Module):"])
    c.add(g.doc("    "))
    c.add(block(f"""
        def __init__(self, dim, num_heads, mlp_ratio={g.pick(['4.0', '2.0', '3.0'])}, qkv_bias=False, drop_path=0.0,
                     init_values=None, act_layer=nn.GELU, norm_layer=nn.LayerNorm):
            super().__init__()
            self.norm1 = norm_layer(dim)
            self.attn = {attn}(dim, num_heads=num_heads, qkv_bias=qkv_bias)
            self.ls1 = LayerScale(dim, init_values) if init_values else nn.Identity()
            self.drop_path1 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
            self.norm2 = norm_layer(dim)
            self.mlp = {mlp}(in_features=dim, hidden_features=int(dim * mlp_ratio), act_layer=act_layer)
            self.ls2 = LayerScale(dim, init_values) if init_values else nn.Identity()
            self.drop_path2 = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = x + self.drop_path1(self.ls1(self.attn(self.norm1(x))))
            x = x + self.drop_path2(self.ls2(self.mlp(self.norm2(x))))
            return x
    """, "    "))
    return c


def u_patch_embed(g: Gen) -> Code:
    name = g.cls(["PatchEmbed", "ConvEmbed", "OverlapPatchEmbed"])
    p = g.pick([4, 8, 14, 16, 32])
    c = Code([f"class {name}(nn.Module):"])
    c.add(g.doc("    "))
    c.add(block(f"""
        def __init__(self, img_size={g.size()}, patch_size={p}, in_chans=3, embed_dim={g.ch()}, norm_layer=None, flatten=True):
            super().__init__()
            self.img_size = (img_size, img_size)
            self.patch_size = (patch_size, patch_size)
            self.grid_size = (img_size // patch_size, img_size // patch_size)
            self.num_patches = self.grid_size[0] * self.grid_size[1]
            self.flatten = flatten
            self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)
            self.norm = norm_layer(embed_dim) if norm_layer else nn.Identity()

        def forward(self, x):
            B, C, H, W = x.shape
            x = self.proj(x)
            if self.flatten:
                x = x.flatten(2).transpose(1, 2)  # BCHW -> BNC
            x = self.norm(x)
            return x
    """, "    "))
    return c


def u_vit_model(g: Gen) -> Code:
    name = g.cls(["VisionTransformer", "ViT", "Encoder", "Backbone"])
    blk, emb = g.cls(["Block"]), g.cls(["PatchEmbed"])
    dim, depth = g.pick([192, 384, 768, 1024]), g.pick([6, 8, 12, 24])
    c = Code([f"class {name}(nn.Module):"])
    c.add(g.doc("    ", ["img_size", "patch_size", "embed_dim", "depth"]))
    c.add(block(f"""
        def __init__(self, img_size={g.size()}, patch_size=16, in_chans=3, num_classes={g.pick([1000, 0, 10, 100, 21843])},
                     embed_dim={dim}, depth={depth}, num_heads={g.pick([3, 6, 12, 16])}, mlp_ratio=4.0, qkv_bias=True,
                     drop_rate=0.0, drop_path_rate={g.pick(['0.0', '0.1', '0.2', '0.4'])}, global_pool="token",
                     class_token=True, norm_layer=None, act_layer=None):
            super().__init__()
            norm_layer = norm_layer or partial(nn.LayerNorm, eps=1e-6)
            act_layer = act_layer or nn.GELU
            self.num_classes = num_classes
            self.global_pool = global_pool
            self.num_features = self.embed_dim = embed_dim
            self.num_prefix_tokens = 1 if class_token else 0

            self.patch_embed = {emb}(img_size=img_size, patch_size=patch_size, in_chans=in_chans, embed_dim=embed_dim)
            num_patches = self.patch_embed.num_patches
            self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim)) if class_token else None
            self.pos_embed = nn.Parameter(torch.randn(1, num_patches + self.num_prefix_tokens, embed_dim) * 0.02)
            self.pos_drop = nn.Dropout(p=drop_rate)

            dpr = [x.item() for x in torch.linspace(0, drop_path_rate, depth)]
            self.blocks = nn.Sequential(*[
                {blk}(dim=embed_dim, num_heads=num_heads, mlp_ratio=mlp_ratio, qkv_bias=qkv_bias,
                      drop_path=dpr[i], norm_layer=norm_layer, act_layer=act_layer)
                for i in range(depth)
            ])
            self.norm = norm_layer(embed_dim)
            self.head = nn.Linear(self.embed_dim, num_classes) if num_classes > 0 else nn.Identity()
            self.apply(self._init_weights)

        def _init_weights(self, m):
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

        @torch.jit.ignore
        def no_weight_decay(self):
            return {{"pos_embed", "cls_token"}}

        def reset_classifier(self, num_classes: int, global_pool=None):
            self.num_classes = num_classes
            if global_pool is not None:
                self.global_pool = global_pool
            self.head = nn.Linear(self.embed_dim, num_classes) if num_classes > 0 else nn.Identity()

        def _pos_embed(self, x):
            if self.cls_token is not None:
                x = torch.cat((self.cls_token.expand(x.shape[0], -1, -1), x), dim=1)
            x = x + self.pos_embed
            return self.pos_drop(x)

        def forward_features(self, x):
            x = self.patch_embed(x)
            x = self._pos_embed(x)
            x = self.blocks(x)
            x = self.norm(x)
            return x

        def forward_head(self, x, pre_logits: bool = False):
            if self.global_pool == "avg":
                x = x[:, self.num_prefix_tokens:].mean(dim=1)
            elif self.global_pool:
                x = x[:, 0]
            return x if pre_logits else self.head(x)

        def forward(self, x):
            x = self.forward_features(x)
            x = self.forward_head(x)
            return x
    """, "    "))
    return c


def u_cnn_model(g: Gen) -> Code:
    name = g.cls(["ResNet", "ConvNet", "Net", "Backbone", "RegNet"])
    blk = g.cls(["Bottleneck"])
    layers = [g.pick([1, 2, 3]), g.pick([2, 3, 4]), g.pick([2, 4, 6, 23]), g.pick([2, 3])]
    c = Code([f"class {name}(nn.Module):"])
    c.add(g.doc("    "))
    c.add(block(f"""
        def __init__(self, block={blk}, layers=({', '.join(map(str, layers))}), num_classes={g.pick([1000, 10, 100, 0])},
                     in_chans=3, stem_width={g.pick([32, 64])}, output_stride=32, zero_init_last=True):
            super().__init__()
            self.inplanes = stem_width
            self.conv1 = nn.Conv2d(in_chans, stem_width, kernel_size=7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(stem_width)
            self.act1 = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            self.layer1 = self._make_layer(block, 64, layers[0])
            self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
            self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
            self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
            self.global_pool = nn.AdaptiveAvgPool2d((1, 1))
            self.num_features = 512 * block.expansion
            self.fc = nn.Linear(self.num_features, num_classes) if num_classes else nn.Identity()

            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
            if zero_init_last:
                for m in self.modules():
                    if hasattr(m, "zero_init_last"):
                        m.zero_init_last()

        def _make_layer(self, block, planes, blocks, stride=1):
            downsample = None
            if stride != 1 or self.inplanes != planes * block.expansion:
                downsample = nn.Sequential(
                    nn.Conv2d(self.inplanes, planes * block.expansion, kernel_size=1, stride=stride, bias=False),
                    nn.BatchNorm2d(planes * block.expansion),
                )
            layers = [block(self.inplanes, planes, stride, downsample)]
            self.inplanes = planes * block.expansion
            for _ in range(1, blocks):
                layers.append(block(self.inplanes, planes))
            return nn.Sequential(*layers)

        def forward_features(self, x):
            x = self.conv1(x)
            x = self.bn1(x)
            x = self.act1(x)
            x = self.maxpool(x)
            x = self.layer1(x)
            x = self.layer2(x)
            x = self.layer3(x)
            x = self.layer4(x)
            return x

        def forward(self, x):
            x = self.forward_features(x)
            x = self.global_pool(x).flatten(1)
            return self.fc(x)
    """, "    "))
    return c


def u_seg_head(g: Gen) -> Code:
    name = g.cls(["Head", "Decoder", "Neck", "FPN"])
    c = Code([f"class {name}(nn.Module):"])
    c.add(g.doc("    "))
    c.add(block(f"""
        def __init__(self, in_channels=({g.ch()}, {g.ch()}, {g.ch()}, {g.ch()}), channels={g.ch()}, num_classes={g.pick([19, 21, 150, 171, 2])},
                     dropout_ratio={g.pick(['0.1', '0.0'])}, align_corners=False):
            super().__init__()
            self.in_channels = in_channels
            self.channels = channels
            self.align_corners = align_corners
            self.lateral_convs = nn.ModuleList()
            self.fpn_convs = nn.ModuleList()
            for in_ch in in_channels:
                self.lateral_convs.append(nn.Conv2d(in_ch, channels, 1))
                self.fpn_convs.append(nn.Sequential(
                    nn.Conv2d(channels, channels, 3, padding=1, bias=False),
                    nn.BatchNorm2d(channels),
                    nn.ReLU(inplace=True),
                ))
            self.dropout = nn.Dropout2d(dropout_ratio) if dropout_ratio > 0 else None
            self.conv_seg = nn.Conv2d(channels, num_classes, kernel_size=1)

        def forward(self, inputs):
            laterals = [conv(inputs[i]) for i, conv in enumerate(self.lateral_convs)]
            for i in range(len(laterals) - 1, 0, -1):
                prev_shape = laterals[i - 1].shape[2:]
                laterals[i - 1] = laterals[i - 1] + F.interpolate(
                    laterals[i], size=prev_shape, mode="bilinear", align_corners=self.align_corners)
            outs = [self.fpn_convs[i](laterals[i]) for i in range(len(laterals))]
            for i in range(1, len(outs)):
                outs[i] = F.interpolate(outs[i], size=outs[0].shape[2:], mode="bilinear",
                                        align_corners=self.align_corners)
            x = torch.stack(outs, dim=0).sum(dim=0)
            if self.dropout is not None:
                x = self.dropout(x)
            return self.conv_seg(x)
    """, "    "))
    return c


def u_model_helpers(g: Gen) -> Code:
    variants = [
        block("""
            def drop_path(x, drop_prob: float = 0.0, training: bool = False, scale_by_keep: bool = True):
                \"\"\"Drop paths (Stochastic Depth) per sample.\"\"\"
                if drop_prob == 0.0 or not training:
                    return x
                keep_prob = 1 - drop_prob
                shape = (x.shape[0],) + (1,) * (x.ndim - 1)
                random_tensor = x.new_empty(shape).bernoulli_(keep_prob)
                if keep_prob > 0.0 and scale_by_keep:
                    random_tensor.div_(keep_prob)
                return x * random_tensor


            class DropPath(nn.Module):
                def __init__(self, drop_prob: float = 0.0, scale_by_keep: bool = True):
                    super().__init__()
                    self.drop_prob = drop_prob
                    self.scale_by_keep = scale_by_keep

                def forward(self, x):
                    return drop_path(x, self.drop_prob, self.training, self.scale_by_keep)

                def extra_repr(self):
                    return f"drop_prob={round(self.drop_prob, 3):0.3f}"
        """),
        block(f"""
            class LayerScale(nn.Module):
                def __init__(self, dim: int, init_values: float = {g.pick(['1e-5', '1e-6', '0.1'])}, inplace: bool = False) -> None:
                    super().__init__()
                    self.inplace = inplace
                    self.gamma = nn.Parameter(init_values * torch.ones(dim))

                def forward(self, x: torch.Tensor) -> torch.Tensor:
                    return x.mul_(self.gamma) if self.inplace else x * self.gamma
        """),
        block(f"""
            def make_divisible(v, divisor={g.pick([8, 4, 16])}, min_value=None, round_limit=0.9):
                min_value = min_value or divisor
                new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
                if new_v < round_limit * v:
                    new_v += divisor
                return new_v


            def to_2tuple(x):
                if isinstance(x, (list, tuple)):
                    return tuple(x)
                return (x, x)
        """),
        block(f"""
            def {g.fn(['resample', 'interpolate', 'resize'])}(posemb, new_size, num_prefix_tokens=1, interpolation="{g.pick(['bicubic', 'bilinear'])}"):
                \"\"\"Resample absolute position embeddings to a new grid size.\"\"\"
                old_dtype = posemb.dtype
                prefix, posemb = posemb[:, :num_prefix_tokens], posemb[:, num_prefix_tokens:]
                gs_old = int(math.sqrt(posemb.shape[1]))
                posemb = posemb.reshape(1, gs_old, gs_old, -1).permute(0, 3, 1, 2).float()
                posemb = F.interpolate(posemb, size=new_size, mode=interpolation, antialias=True)
                posemb = posemb.permute(0, 2, 3, 1).reshape(1, new_size[0] * new_size[1], -1)
                posemb = posemb.to(old_dtype)
                return torch.cat([prefix, posemb], dim=1)
        """),
        block(f"""
            def {g.fn(['init', 'trunc', 'lecun'])}_(tensor, mean=0.0, std={g.pick(['0.02', '1.0', '0.01'])}, a=-2.0, b=2.0):
                with torch.no_grad():
                    size = tensor.shape
                    tmp = tensor.new_empty(size + (4,)).normal_()
                    valid = (tmp < 2) & (tmp > -2)
                    ind = valid.max(-1, keepdim=True)[1]
                    tensor.data.copy_(tmp.gather(-1, ind).squeeze(-1))
                    tensor.data.mul_(std).add_(mean)
                    return tensor.clamp_(min=a, max=b)
        """),
    ]
    left = [i for i in range(len(variants)) if f"helpers{i}" not in g.units_used]
    if not left:
        return u_small_funcs(g)
    i = g.pick(left)
    g.units_used.append(f"helpers{i}")
    return Code(variants[i])


def u_registry(g: Gen) -> Code:
    """timm-style registered model entry points: many short functions."""
    c = Code()
    cls_name = g.cls(["VisionTransformer", "ResNet", "ConvNeXt"])
    for _ in range(g.i(3, 9)):
        size = g.pick(["tiny", "small", "base", "large", "huge"])
        variant = f"{g.pick(W_MOD)}_{size}_patch{g.pick([8, 14, 16, 32])}_{g.size()}"
        c.add(block(f"""
            @register_model
            def {variant}(pretrained: bool = False, **kwargs) -> {cls_name}:
                \"\"\"{g.sentence(5, 12)}\"\"\"
                model_args = dict(patch_size={g.pick([8, 14, 16, 32])}, embed_dim={g.ch()}, depth={g.pick([6, 12, 24])}, num_heads={g.pick([3, 6, 12, 16])})
                model = build_model_with_cfg({cls_name}, "{variant}", pretrained=pretrained, **dict(model_args, **kwargs))
                return model


        """))
    return c


def u_default_cfgs(g: Gen) -> Code:
    c = Code(block("""
        def _cfg(url="", **kwargs):
            return {
                "url": url,
                "num_classes": 1000, "input_size": (3, 224, 224), "pool_size": None,
                "crop_pct": 0.9, "interpolation": "bicubic", "fixed_input_size": True,
                "mean": IMAGENET_DEFAULT_MEAN, "std": IMAGENET_DEFAULT_STD,
                "first_conv": "patch_embed.proj", "classifier": "head",
                **kwargs,
            }


        default_cfgs = {
    """))
    for _ in range(g.i(6, 30)):
        tag = g.pick(["augreg_in21k_ft_in1k", "in1k", "in21k", "lvd142m", "clip_laion2b", "fb_in22k", "sw_in1k"])
        c.lines.append(f'    "{g.pick(W_MOD)}_{g.pick(["tiny", "small", "base", "large"])}_{g.size()}.{tag}": _cfg(')
        c.lines.append(f'        hf_hub_id="timm/", crop_pct={g.pick(["0.9", "0.875", "1.0", "0.95"])}, input_size=(3, {g.size()}, {g.size()})),')
    c.lines.append("}")
    c.lines.append("")
    return c


# ---------------------------------------------------------------------------------------
# data units
# ---------------------------------------------------------------------------------------
def u_dataset(g: Gen) -> Code:
    name = g.cls(["Dataset", "ImageDataset", "FolderDataset", "SegDataset"])
    ext = g.pick([".jpg", ".png", ".jpeg", ".tif"])
    c = Code([f"class {name}(Dataset):"])
    c.add(g.doc("    ", ["root", "split", "transform"]))
    c.add(block(f"""
        CLASSES = ({', '.join(repr(g.pick(W_DATA)) for _ in range(g.i(2, 6)))})

        def __init__(self, root, split="train", transform=None, target_transform=None, max_samples=None):
            super().__init__()
            self.root = os.path.expanduser(root)
            self.split = split
            self.transform = transform
            self.target_transform = target_transform
            self.samples = []
            split_dir = os.path.join(self.root, split)
            for label, cls_name in enumerate(sorted(os.listdir(split_dir))):
                cls_dir = os.path.join(split_dir, cls_name)
                for fname in sorted(os.listdir(cls_dir)):
                    if fname.lower().endswith("{ext}"):
                        self.samples.append((os.path.join(cls_dir, fname), label))
            if max_samples is not None:
                self.samples = self.samples[:max_samples]

        def __len__(self):
            return len(self.samples)

        def __getitem__(self, index):
            path, target = self.samples[index]
            img = Image.open(path).convert("RGB")
            if self.transform is not None:
                img = self.transform(img)
            if self.target_transform is not None:
                target = self.target_transform(target)
            return img, target
    """, "    "))
    return c


def u_dict_dataset(g: Gen) -> Code:
    name = g.cls(["Dataset", "AnnotationDataset", "JsonDataset"])
    key = g.pick(["image", "pixel_values", "img", "images"])
    c = Code([f"class {name}(Dataset):"])
    c.add(g.doc("    "))
    c.add(block(f"""
        def __init__(self, ann_file, img_prefix="", pipeline=None, test_mode=False):
            with open(ann_file) as f:
                self.data_infos = json.load(f)["{g.pick(['images', 'annotations', 'samples'])}"]
            self.img_prefix = img_prefix
            self.pipeline = pipeline
            self.test_mode = test_mode
            if not test_mode:
                self.data_infos = [info for info in self.data_infos if info.get("width", 0) >= {g.pick([16, 32, 1])}]

        def __len__(self):
            return len(self.data_infos)

        def __getitem__(self, idx):
            info = self.data_infos[idx]
            img = np.asarray(Image.open(os.path.join(self.img_prefix, info["file_name"])).convert("RGB"))
            img = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
            sample = {{"{key}": img, "label": torch.tensor(info.get("category_id", 0), dtype=torch.long)}}
            if self.pipeline is not None:
                sample = self.pipeline(sample)
            return sample
    """, "    "))
    return c


def u_transforms(g: Gen) -> Code:
    fn = g.fn(["build", "make", "create", "get"])
    return Code(block(f"""
        def {fn}(is_train: bool, img_size: int = {g.size()}, mean=({g.pick(['0.485, 0.456, 0.406', '0.5, 0.5, 0.5', '0.48145466, 0.4578275, 0.40821073'])}),
                 std=({g.pick(['0.229, 0.224, 0.225', '0.5, 0.5, 0.5', '0.26862954, 0.26130258, 0.27577711'])})):
            from torchvision import transforms

            if is_train:
                return transforms.Compose([
                    transforms.RandomResizedCrop(img_size, scale=({g.pick(['0.08', '0.2', '0.32'])}, 1.0), interpolation=transforms.InterpolationMode.BICUBIC),
                    transforms.RandomHorizontalFlip(),
                    transforms.ColorJitter({g.pick(['0.4', '0.3', '0.2'])}, 0.4, 0.4),
                    transforms.ToTensor(),
                    transforms.Normalize(mean, std),
                ])
            size = int(img_size / {g.pick(['0.875', '0.9', '1.0'])})
            return transforms.Compose([
                transforms.Resize(size, interpolation=transforms.InterpolationMode.BICUBIC),
                transforms.CenterCrop(img_size),
                transforms.ToTensor(),
                transforms.Normalize(mean, std),
            ])
    """))


def u_collate(g: Gen) -> Code:
    fn = g.uniq(lambda: g.pick(["collate_fn", "default_collate", "fast_collate", "pad_collate", "collate_data_and_cast"]))
    return Code(block(f"""
        def {fn}(batch):
            images = torch.stack([b[0] for b in batch], dim=0)
            targets = torch.tensor([b[1] for b in batch], dtype=torch.{g.pick(['long', 'int64'])})
            return images, targets
    """))


def u_sampler(g: Gen) -> Code:
    name = g.cls(["Sampler", "InfiniteSampler", "RepeatAugSampler"])
    return Code(block(f"""
        class {name}(torch.utils.data.Sampler):
            def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, num_repeats={g.pick([1, 2, 3])}, seed=0):
                if num_replicas is None:
                    num_replicas = dist.get_world_size() if dist.is_initialized() else 1
                if rank is None:
                    rank = dist.get_rank() if dist.is_initialized() else 0
                self.dataset = dataset
                self.num_replicas = num_replicas
                self.rank = rank
                self.shuffle = shuffle
                self.num_repeats = num_repeats
                self.epoch = 0
                self.seed = seed
                self.num_samples = int(math.ceil(len(self.dataset) * num_repeats / self.num_replicas))
                self.total_size = self.num_samples * self.num_replicas

            def __iter__(self):
                g = torch.Generator()
                g.manual_seed(self.seed + self.epoch)
                if self.shuffle:
                    indices = torch.randperm(len(self.dataset), generator=g).tolist()
                else:
                    indices = list(range(len(self.dataset)))
                indices = [x for x in indices for _ in range(self.num_repeats)]
                padding = self.total_size - len(indices)
                if padding > 0:
                    indices += indices[:padding]
                return iter(indices[self.rank:self.total_size:self.num_replicas])

            def __len__(self):
                return self.num_samples

            def set_epoch(self, epoch):
                self.epoch = epoch
    """))


# ---------------------------------------------------------------------------------------
# util units
# ---------------------------------------------------------------------------------------
def u_meter(g: Gen) -> Code:
    name = g.cls(["Meter", "AverageMeter", "SmoothedValue"])
    return Code(block(f"""
        class {name}:
            \"\"\"Computes and stores the average and current value.\"\"\"

            def __init__(self, name="", fmt=":{g.pick(['.4f', '.3f', '6.2f'])}"):
                self.name = name
                self.fmt = fmt
                self.reset()

            def reset(self):
                self.val = 0
                self.avg = 0
                self.sum = 0
                self.count = 0

            def update(self, val, n=1):
                self.val = val
                self.sum += val * n
                self.count += n
                self.avg = self.sum / self.count

            def __str__(self):
                fmtstr = "{{name}} {{val" + self.fmt + "}} ({{avg" + self.fmt + "}})"
                return fmtstr.format(**self.__dict__)
    """))


def u_accuracy(g: Gen) -> Code:
    return Code(block(f"""
        def {g.uniq(lambda: g.pick(['accuracy', 'topk_accuracy', 'compute_accuracy', 'top_k_acc']))}(output, target, topk=(1,{g.pick([' 5', ''])})):
            \"\"\"Computes the accuracy over the k top predictions for the specified values of k.\"\"\"
            maxk = min(max(topk), output.size()[1])
            batch_size = target.size(0)
            _, pred = output.topk(maxk, 1, True, True)
            pred = pred.t()
            correct = pred.eq(target.reshape(1, -1).expand_as(pred))
            return [correct[:min(k, maxk)].reshape(-1).float().sum(0) * 100.0 / batch_size for k in topk]
    """))


def u_checkpoint(g: Gen) -> Code:
    return Code(block(f"""
        def {g.fn(['save', 'dump', 'write'])}(state, is_best, output_dir, filename="checkpoint.pth"):
            os.makedirs(output_dir, exist_ok=True)
            path = os.path.join(output_dir, filename)
            torch.save(state, path)
            if is_best:
                torch.save(state, os.path.join(output_dir, "model_best.pth"))
            return path


        def {g.fn(['load', 'restore', 'resume'])}(model, checkpoint_path, optimizer=None, map_location="cpu", strict={g.pick(['True', 'False'])}):
            checkpoint = torch.load(checkpoint_path, map_location=map_location)
            state_dict = checkpoint.get("{g.pick(['state_dict', 'model', 'module'])}", checkpoint)
            state_dict = {{k.replace("module.", ""): v for k, v in state_dict.items()}}
            missing, unexpected = model.load_state_dict(state_dict, strict=strict)
            if missing:
                print(f"missing keys: {{missing}}")
            if unexpected:
                print(f"unexpected keys: {{unexpected}}")
            if optimizer is not None and "optimizer" in checkpoint:
                optimizer.load_state_dict(checkpoint["optimizer"])
            return checkpoint.get("epoch", 0)
    """))


def u_distributed(g: Gen) -> Code:
    return Code(block(f"""
        def {g.fn(['init', 'setup'])}_distributed(args):
            if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
                args.rank = int(os.environ["RANK"])
                args.world_size = int(os.environ["WORLD_SIZE"])
                args.gpu = int(os.environ["LOCAL_RANK"])
            elif "SLURM_PROCID" in os.environ:
                args.rank = int(os.environ["SLURM_PROCID"])
                args.gpu = args.rank % torch.cuda.device_count()
            else:
                print("Not using distributed mode")
                args.distributed = False
                return
            args.distributed = True
            torch.cuda.set_device(args.gpu)
            args.dist_backend = "{g.pick(['nccl', 'gloo'])}"
            print(f"| distributed init (rank {{args.rank}}): {{args.dist_url}}", flush=True)
            torch.distributed.init_process_group(backend=args.dist_backend, init_method=args.dist_url,
                                                 world_size=args.world_size, rank=args.rank)
            torch.distributed.barrier()


        def is_main_process():
            return not dist.is_available() or not dist.is_initialized() or dist.get_rank() == 0


        def reduce_tensor(tensor, n):
            rt = tensor.clone()
            dist.all_reduce(rt, op=dist.ReduceOp.SUM)
            rt /= n
            return rt
    """))


def u_seed(g: Gen) -> Code:
    return Code(block(f"""
        def {g.uniq(lambda: g.pick(['seed_everything', 'set_seed', 'fix_random_seeds', 'random_seed']))}(seed: int = {g.pick([0, 42, 1234, 3407])}) -> None:
            random.seed(seed)
            np.random.seed(seed)
            torch.manual_seed(seed)
            torch.cuda.manual_seed_all(seed)
            torch.backends.cudnn.deterministic = {g.pick(['True', 'False'])}
            torch.backends.cudnn.benchmark = {g.pick(['True', 'False'])}
    """))


def u_scheduler(g: Gen) -> Code:
    name = g.cls(["Scheduler", "CosineScheduler", "WarmupScheduler", "LRScheduler"])
    return Code(block(f"""
        class {name}:
            def __init__(self, optimizer, base_lr={g.lr()}, final_lr={g.pick(['0.0', '1e-6', '1e-5'])}, total_iters={g.pick([1000, 5000, 100000, 625000])},
                         warmup_iters={g.pick([0, 500, 1000, 10000])}, start_warmup_value=0.0):
                self.optimizer = optimizer
                self.base_lr = base_lr
                self.final_lr = final_lr
                self.total_iters = total_iters
                self.warmup_iters = warmup_iters
                self.start_warmup_value = start_warmup_value
                self.iter = 0

            def get_lr(self, it):
                if it < self.warmup_iters:
                    alpha = it / max(1, self.warmup_iters)
                    return self.start_warmup_value + alpha * (self.base_lr - self.start_warmup_value)
                progress = (it - self.warmup_iters) / max(1, self.total_iters - self.warmup_iters)
                return self.final_lr + 0.5 * (self.base_lr - self.final_lr) * (1 + math.cos(math.pi * progress))

            def step(self):
                lr = self.get_lr(self.iter)
                for group in self.optimizer.param_groups:
                    group["lr"] = lr * group.get("lr_scale", 1.0)
                self.iter += 1
                return lr

            def state_dict(self):
                return {{"iter": self.iter}}

            def load_state_dict(self, state):
                self.iter = state["iter"]
    """))


def u_ema(g: Gen) -> Code:
    name = g.cls(["Ema", "ModelEma", "EMA"])
    return Code(block(f"""
        class {name}(nn.Module):
            def __init__(self, model, decay={g.pick(['0.9999', '0.999', '0.9998'])}, device=None):
                super().__init__()
                self.module = copy.deepcopy(model)
                self.module.eval()
                self.decay = decay
                self.device = device
                if self.device is not None:
                    self.module.to(device=device)

            @torch.no_grad()
            def _update(self, model, update_fn):
                for ema_v, model_v in zip(self.module.state_dict().values(), model.state_dict().values()):
                    if self.device is not None:
                        model_v = model_v.to(device=self.device)
                    ema_v.copy_(update_fn(ema_v, model_v))

            def update(self, model):
                self._update(model, update_fn=lambda e, m: self.decay * e + (1.0 - self.decay) * m)

            def set(self, model):
                self._update(model, update_fn=lambda e, m: m)
    """))


def u_param_groups(g: Gen) -> Code:
    return Code(block(f"""
        def {g.fn(['get', 'build', 'make'])}_param_groups(model, weight_decay={g.wd()}, no_weight_decay_list=(), layer_decay={g.pick(['None', '0.75', '0.65'])}):
            decay, no_decay = [], []
            for name, param in model.named_parameters():
                if not param.requires_grad:
                    continue
                if param.ndim <= 1 or name.endswith(".bias") or name in no_weight_decay_list:
                    no_decay.append(param)
                else:
                    decay.append(param)
            return [
                {{"params": no_decay, "weight_decay": 0.0}},
                {{"params": decay, "weight_decay": weight_decay}},
            ]
    """))


def u_logger(g: Gen) -> Code:
    return Code(block(f"""
        def {g.uniq(lambda: g.pick(['setup_logger', 'get_logger', 'create_logger', 'setup_logging']))}(output=None, distributed_rank=0, name="{g.pick(W_MOD)}", level=logging.{g.pick(['INFO', 'DEBUG'])}):
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.propagate = False
            fmt = "[%(asctime)s %(name)s] (%(filename)s %(lineno)d): %(levelname)s %(message)s"
            if distributed_rank == 0:
                ch = logging.StreamHandler(stream=sys.stdout)
                ch.setLevel(level)
                ch.setFormatter(logging.Formatter(fmt, datefmt="%Y-%m-%d %H:%M:%S"))
                logger.addHandler(ch)
            if output is not None:
                fh = logging.FileHandler(os.path.join(output, f"log_rank{{distributed_rank}}.txt"), mode="a")
                fh.setLevel(level)
                fh.setFormatter(logging.Formatter(fmt))
                logger.addHandler(fh)
            return logger
    """))


def u_small_funcs(g: Gen) -> Code:
    c = Code()
    for _ in range(g.i(2, 5)):
        fn = g.fn()
        a, b = g.var(), g.var()
        body = g.pick([
            [f"    if {a} is None:", f"        return {b}", f"    return {{**{b}, **{a}}} if isinstance({a}, dict) else {a}"],
            ["    out = []", f"    for item in {a}:", "        if item is not None:", "            out.append(item)", "    return out"],
            [f"    {a} = {a}.detach().cpu()", f"    return {a}.numpy() if {b} else {a}.tolist()"],
            [f"    total = sum(p.numel() for p in {a}.parameters())", f"    trainable = sum(p.numel() for p in {a}.parameters() if p.requires_grad)",
             f"    if {b}:", "        print(f\"params: {total / 1e6:.2f}M, trainable: {trainable / 1e6:.2f}M\")", "    return total, trainable"],
            [f"    for name, module in {a}.named_modules():", f"        if isinstance(module, {b}):", "            yield name, module"],
            [f"    keys = sorted({a}.keys())", f"    return {{k: {a}[k] for k in keys if not k.startswith(\"_\")}}"],
        ])
        c.lines.append(f"def {fn}({a}, {b}=None):" if b != a else f"def {fn}({a}):")
        c.add(g.doc("    "))
        c.lines.extend(body)
        sep(c)
    return c


# ---------------------------------------------------------------------------------------
# configs and tests
# ---------------------------------------------------------------------------------------
def u_config_dict(g: Gen) -> Code:
    c = Code()
    if g.chance(0.5):
        c.lines.append(f"_base_ = [\"../_base_/models/{g.pick(W_MOD)}_{g.pick(W_MOD)}.py\", \"../_base_/datasets/{g.pick(W_DATA)}.py\", \"../_base_/default_runtime.py\"]")
        c.lines.append("")
    c.add(block(f"""
        norm_cfg = dict(type="{g.pick(['SyncBN', 'BN', 'GN', 'LN'])}", requires_grad=True)
        crop_size = ({g.size()}, {g.size()})
        model = dict(
            type="{g.pick(['EncoderDecoder', 'ImageClassifier', 'MaskRCNN', 'CascadeRCNN'])}",
            pretrained="{g.pick(['open-mmlab://resnet50_v1c', 'torchvision://resnet50', 'pretrain/vit_base.pth', ''])}",
            backbone=dict(
                type="{g.pick(['ResNetV1c', 'ResNet', 'VisionTransformer', 'SwinTransformer', 'ConvNeXt'])}",
                depth={g.pick([18, 50, 101])},
                num_stages=4,
                out_indices=(0, 1, 2, 3),
                dilations=(1, 1, 2, 4),
                strides=(1, 2, 1, 1),
                norm_cfg=norm_cfg,
                norm_eval=False,
                style="pytorch",
            ),
            decode_head=dict(
                type="{g.pick(['UPerHead', 'FCNHead', 'ASPPHead', 'SegformerHead'])}",
                in_channels=[{g.ch()}, {g.ch()}, {g.ch()}, {g.ch()}],
                channels={g.ch()},
                dropout_ratio=0.1,
                num_classes={g.pick([19, 21, 150, 171, 80])},
                norm_cfg=norm_cfg,
                align_corners=False,
                loss_decode=dict(type="CrossEntropyLoss", use_sigmoid=False, loss_weight=1.0),
            ),
            train_cfg=dict(),
            test_cfg=dict(mode="{g.pick(['whole', 'slide'])}"),
        )
        optimizer = dict(type="{g.pick(['SGD', 'AdamW'])}", lr={g.lr()}, momentum=0.9, weight_decay={g.wd()})
        optimizer_config = dict()
        lr_config = dict(policy="poly", power=0.9, min_lr={g.pick(['1e-4', '0.0', '1e-6'])}, by_epoch=False)
        runner = dict(type="IterBasedRunner", max_iters={g.pick([20000, 40000, 80000, 160000])})
        checkpoint_config = dict(by_epoch=False, interval={g.pick([2000, 4000, 8000])})
        evaluation = dict(interval={g.pick([2000, 4000, 8000])}, metric="mIoU", pre_eval=True)
        data = dict(samples_per_gpu={g.pick([2, 4, 8, 16])}, workers_per_gpu={g.pick([2, 4, 8])})
    """))
    if g.chance(0.5):
        c.add(block(f"""
            img_norm_cfg = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
            train_pipeline = [
                dict(type="LoadImageFromFile"),
                dict(type="LoadAnnotations", reduce_zero_label={g.pick(['True', 'False'])}),
                dict(type="Resize", img_scale=({g.pick([2048, 1024, 512])}, {g.size()}), ratio_range=(0.5, 2.0)),
                dict(type="RandomCrop", crop_size=crop_size, cat_max_ratio=0.75),
                dict(type="RandomFlip", prob=0.5),
                dict(type="PhotoMetricDistortion"),
                dict(type="Normalize", **img_norm_cfg),
                dict(type="Pad", size=crop_size, pad_val=0, seg_pad_val=255),
                dict(type="DefaultFormatBundle"),
                dict(type="Collect", keys=["img", "gt_semantic_seg"]),
            ]
        """))
    return c


def u_config_dataclass(g: Gen) -> Code:
    name = g.cls(["Config", "TrainConfig", "ModelConfig", "DataConfig", "Args"])
    c = Code(["@dataclass", f"class {name}:"])
    c.add(g.doc("    "))
    fields = [
        ("model_name", "str", f'"{g.pick(TIMM_MODELS)}"'), ("image_size", "int", str(g.size())),
        ("batch_size", "int", str(g.pick([16, 32, 64, 128, 256]))), ("epochs", "int", str(g.pick([10, 30, 90, 100, 300]))),
        ("lr", "float", g.lr()), ("weight_decay", "float", g.wd()), ("warmup_epochs", "int", str(g.pick([0, 5, 10, 20]))),
        ("num_workers", "int", str(g.pick([2, 4, 8, 10]))), ("seed", "int", str(g.pick([0, 42, 1234]))),
        ("output_dir", "str", f'"./output/{g.pick(W_MOD)}"'), ("data_path", "str", f'"/datasets/{g.pick(W_DATA)}"'),
        ("drop_path", "float", g.pick(["0.0", "0.1", "0.2"])), ("label_smoothing", "float", g.pick(["0.0", "0.1"])),
        ("clip_grad", "Optional[float]", g.pick(["None", "1.0", "3.0"])), ("use_ema", "bool", g.pick(["True", "False"])),
        ("log_every", "int", str(g.pick([10, 20, 50, 100]))), ("eval_every", "int", str(g.pick([1, 5, 10]))),
        ("resume", "str", '""'), ("amp", "bool", g.pick(["True", "False"])), ("compile", "bool", "False"),
        ("mixup", "float", g.pick(["0.0", "0.8"])), ("cutmix", "float", g.pick(["0.0", "1.0"])),
    ]
    g.r.shuffle(fields)
    for fname, ftype, default in fields[: g.i(6, len(fields))]:
        c.lines.append(f"    {fname}: {ftype} = {default}")
        if g.chance(0.15):
            c.lines.append(f"    # {g.sentence(3, 8).rstrip('.').lower()}")
    c.lines.append("")
    return c


def u_tests(g: Gen) -> Code:
    c = Code()
    for _ in range(g.i(2, 6)):
        kind = g.i(0, 3)
        base = f"test_{g.pick(W_MOD)}_{g.pick(['forward', 'shape', 'backward', 'state_dict', 'init', 'repr', 'jit', 'grad'])}"
        fn = g.uniq(lambda b=base: b if b not in g._used else b + "_" + g.pick(W_MOD))
        if kind == 0:
            c.add(block(f"""
                @pytest.mark.parametrize("batch_size", [1, {g.pick([2, 3, 4])}])
                @pytest.mark.parametrize("img_size", [{g.size()}, {g.size()}])
                def {fn}(batch_size, img_size):
                    model = {g.cls(['Net', 'Block', 'Encoder'])}(num_classes={g.pick([10, 1000])})
                    model.eval()
                    x = torch.randn(batch_size, 3, img_size, img_size)
                    with torch.no_grad():
                        out = model(x)
                    assert out.shape[0] == batch_size
                    assert torch.isfinite(out).all()


            """))
        elif kind == 1:
            c.add(block(f"""
                def {fn}():
                    layer = {g.cls()}({g.ch()}, {g.ch()})
                    x = torch.randn({g.pick([2, 4])}, {g.pick([16, 49, 196])}, layer.in_features if hasattr(layer, "in_features") else 64, requires_grad=True)
                    y = layer(x)
                    y.sum().backward()
                    assert x.grad is not None
                    assert not torch.isnan(x.grad).any()


            """))
        elif kind == 2:
            c.add(block(f"""
                def {fn}(tmp_path):
                    model = {g.cls(['Net', 'Model'])}()
                    path = tmp_path / "model.pth"
                    torch.save(model.state_dict(), path)
                    state = torch.load(path, map_location="cpu")
                    missing, unexpected = model.load_state_dict(state, strict=True)
                    assert not missing and not unexpected


            """))
        else:
            c.add(block(f"""
                class Test{g.pick(W_MOD).capitalize()}{g.pick(['Dataset', 'Transform', 'Sampler', 'Scheduler'])}:
                    def setup_method(self):
                        self.values = list(range({g.pick([8, 16, 100])}))

                    def test_len(self):
                        assert len(self.values) > 0

                    def test_{g.pick(['order', 'values', 'unique'])}(self):
                        assert sorted(self.values) == self.values
                        assert len(set(self.values)) == len(self.values)


            """))
    return c


# ---------------------------------------------------------------------------------------
# scripts
# ---------------------------------------------------------------------------------------
def u_parse_args(g: Gen, extra: Sequence[str] = ()) -> Code:
    c = Code(block(f"""
        def get_args_parser():
            parser = argparse.ArgumentParser("{g.sentence(2, 5).rstrip('.')}", add_help={g.pick(['True', 'False'])})
    """))
    opts = [
        f'    parser.add_argument("--batch-size", default={g.pick([32, 64, 128, 256])}, type=int, help="batch size per GPU")',
        f'    parser.add_argument("--epochs", default={g.pick([10, 90, 100, 300])}, type=int)',
        f'    parser.add_argument("--model", default="{g.pick(TIMM_MODELS)}", type=str, metavar="MODEL")',
        f'    parser.add_argument("--input-size", default={g.size()}, type=int, help="images input size")',
        f'    parser.add_argument("--lr", type=float, default={g.lr()}, metavar="LR", help="learning rate")',
        f'    parser.add_argument("--weight-decay", type=float, default={g.wd()})',
        f'    parser.add_argument("--warmup-epochs", type=int, default={g.pick([0, 5, 10])}, metavar="N")',
        f'    parser.add_argument("--data-path", default="/datasets/{g.pick(W_DATA)}", type=str, help="dataset path")',
        '    parser.add_argument("--output-dir", default="./output_dir", help="path where to save, empty for no saving")',
        '    parser.add_argument("--device", default="cuda", help="device to use for training / testing")',
        f'    parser.add_argument("--seed", default={g.pick([0, 42])}, type=int)',
        '    parser.add_argument("--resume", default="", help="resume from checkpoint")',
        f'    parser.add_argument("--num-workers", default={g.pick([4, 8, 10])}, type=int)',
        '    parser.add_argument("--pin-mem", action="store_true", help="Pin CPU memory in DataLoader")',
        '    parser.add_argument("--eval", action="store_true", help="Perform evaluation only")',
        f'    parser.add_argument("--clip-grad", type=float, default={g.pick(["None", "1.0"])}, metavar="NORM")',
        f'    parser.add_argument("--smoothing", type=float, default={g.pick(["0.1", "0.0"])}, help="Label smoothing")',
        '    parser.add_argument("--world-size", default=1, type=int, help="number of distributed processes")',
        '    parser.add_argument("--dist-url", default="env://", help="url used to set up distributed training")',
        f'    parser.add_argument("--amp", action="store_true", default={g.pick(["False", "True"])}, help="use torch.cuda.amp")',
    ]
    keep = opts[: g.i(8, len(opts))]
    keep.extend(extra)
    c.lines.extend(keep)
    c.lines.extend(["    return parser", "", ""])
    return c


def u_train_loop(g: Gen, amp: str = "none") -> Code:
    """amp: none | fp16 (GradScaler + autocast fp16)."""
    fn = g.uniq(lambda: g.pick(["train_one_epoch", "train_epoch", "train", "fit_epoch"]))
    g.train_fn = fn
    c = Code(block(f"""
        def {fn}(model, criterion, data_loader, optimizer, device, epoch, loss_scaler=None, max_norm={g.pick(['0', '1.0', 'None'])},
                 lr_scheduler=None, log_every={g.pick([10, 20, 50])}):
            model.train()
            metric_logger = {{"loss": 0.0, "n": 0}}
            start = time.time()
            for step, (samples, targets) in enumerate(data_loader):
                samples = samples.to(device, non_blocking=True)
                targets = targets.to(device, non_blocking=True)
    """))
    if amp == "fp16":
        c.add(block("""
            with torch.autocast(device_type="cuda", dtype=torch.float16, enabled=loss_scaler is not None):
                outputs = model(samples)
                loss = criterion(outputs, targets)
            optimizer.zero_grad(set_to_none=True)
            if loss_scaler is not None:
                loss_scaler.scale(loss).backward()
                if max_norm:
                    loss_scaler.unscale_(optimizer)
                    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
                loss_scaler.step(optimizer)
                loss_scaler.update()
            else:
                loss.backward()
                optimizer.step()
        """, "        "))
    else:
        c.add(block("""
            outputs = model(samples)
            loss = criterion(outputs, targets)
            optimizer.zero_grad()
            loss.backward()
            if max_norm:
                torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            optimizer.step()
        """, "        "))
    c.add(block("""
            if lr_scheduler is not None:
                lr_scheduler.step()
            loss_value = loss.item()
            if not math.isfinite(loss_value):
                print(f"Loss is {loss_value}, stopping training")
                sys.exit(1)
            metric_logger["loss"] += loss_value
            metric_logger["n"] += 1
            if step % log_every == 0:
                lr = optimizer.param_groups[0]["lr"]
                print(f"Epoch: [{epoch}] [{step}/{len(data_loader)}] loss: {loss_value:.4f} lr: {lr:.6f}")
        print(f"epoch {epoch} took {time.time() - start:.1f}s")
        return {"loss": metric_logger["loss"] / max(1, metric_logger["n"])}


    """, "    "))
    return c


def u_eval_loop(g: Gen) -> Code:
    fn = g.uniq(lambda: g.pick(["evaluate", "validate", "eval_epoch", "run_eval"]))
    g.eval_fn = fn
    return Code(block(f"""
        @torch.no_grad()
        def {fn}(data_loader, model, device):
            criterion = torch.nn.CrossEntropyLoss()
            model.eval()
            total, correct, loss_sum = 0, 0, 0.0
            for images, target in data_loader:
                images = images.to(device, non_blocking=True)
                target = target.to(device, non_blocking=True)
                output = model(images)
                loss = criterion(output, target)
                loss_sum += loss.item() * images.shape[0]
                correct += (output.argmax(dim=-1) == target).sum().item()
                total += images.shape[0]
            acc = 100.0 * correct / max(1, total)
            print(f"* Acc@1 {{acc:.3f}} loss {{loss_sum / max(1, total):.3f}}")
            return {{"acc1": acc, "loss": loss_sum / max(1, total)}}


    """))


def u_main(g: Gen, loader: str = "plain") -> Code:
    """loader: plain (local class) | timm | tv | hub (no bf16 anywhere)."""
    build = {
        "plain": f"    model = {g.cls(['Net', 'ResNet', 'VisionTransformer'])}(num_classes=args.nb_classes)",
        "timm": f"    model = timm.create_model(args.model, pretrained={g.pick(['True', 'args.pretrained'])}, num_classes=args.nb_classes, drop_path_rate={g.pick(['0.1', 'args.drop_path'])})",
        "tv": f"    model = torchvision.models.{g.pick(TV_MODELS)}(weights=\"DEFAULT\")",
        "hub": f"    model = torch.hub.load(\"facebookresearch/dinov2\", \"{g.pick(DINO_ENTRIES)}\")",
    }[loader]
    c = Code(block("""
        def main(args):
            device = torch.device(args.device)
            seed = args.seed
            torch.manual_seed(seed)
            np.random.seed(seed)

            dataset_train = datasets.ImageFolder(os.path.join(args.data_path, "train"), transform=build_transform(True, args.input_size))
            dataset_val = datasets.ImageFolder(os.path.join(args.data_path, "val"), transform=build_transform(False, args.input_size))
            args.nb_classes = len(dataset_train.classes)
            data_loader_train = DataLoader(dataset_train, batch_size=args.batch_size, shuffle=True,
                                           num_workers=args.num_workers, pin_memory=args.pin_mem, drop_last=True)
            data_loader_val = DataLoader(dataset_val, batch_size=args.batch_size, shuffle=False,
                                         num_workers=args.num_workers, pin_memory=args.pin_mem)

    """))
    c.lines.append(build)
    c.add(block(f"""
            model.to(device)
            n_parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
            print(f"number of params: {{n_parameters / 1e6:.1f}}M")

            optimizer = torch.optim.{g.pick(['AdamW', 'SGD', 'Adam'])}(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
            criterion = torch.nn.CrossEntropyLoss(label_smoothing=args.smoothing if hasattr(args, "smoothing") else 0.0)
            loss_scaler = torch.cuda.amp.GradScaler() if getattr(args, "amp", False) else None

            if args.eval:
                {g.eval_fn}(data_loader_val, model, device)
                return

            max_accuracy = 0.0
            for epoch in range(args.epochs):
                train_stats = {g.train_fn}(model, criterion, data_loader_train, optimizer, device, epoch, loss_scaler)
                test_stats = {g.eval_fn}(data_loader_val, model, device)
                max_accuracy = max(max_accuracy, test_stats["acc1"])
                print(f"Max accuracy: {{max_accuracy:.2f}}%")
                if args.output_dir:
                    torch.save({{"model": model.state_dict(), "epoch": epoch}}, os.path.join(args.output_dir, "checkpoint.pth"))


        if __name__ == "__main__":
            args = get_args_parser().parse_args()
            if args.output_dir:
                Path(args.output_dir).mkdir(parents=True, exist_ok=True)
            main(args)
    """))
    return c


# ---------------------------------------------------------------------------------------
# bf16 units: library-like (no vision backbone), application-like (safe), bugs
# ---------------------------------------------------------------------------------------
def u_bf16_dtype_helpers(g: Gen) -> Code:
    fn = g.uniq(lambda: g.pick(["get_mixed_precision_dtype", "resolve_dtype", "get_weight_dtype", "precision_to_dtype", "str_to_dtype"]))
    return Code(block(f"""
        _DTYPE_MAP = {{
            "fp32": torch.float32,
            "float32": torch.float32,
            "fp16": torch.float16,
            "float16": torch.float16,
            "half": torch.float16,
            "bf16": torch.bfloat16,
            "bfloat16": torch.bfloat16,
        }}


        def {fn}(mixed_precision: Optional[str]) -> torch.dtype:
            \"\"\"Map a mixed-precision string ("no", "fp16", "bf16") to the dtype weights are kept in.\"\"\"
            if mixed_precision is None or mixed_precision == "no":
                return torch.float32
            if mixed_precision not in _DTYPE_MAP:
                raise ValueError(f"Unknown mixed precision mode: {{mixed_precision}}")
            return _DTYPE_MAP[mixed_precision]


        def is_bf16_available(ignore_tpu: bool = {g.pick(['False', 'True'])}) -> bool:
            \"\"\"Whether bf16 is supported on the current device.\"\"\"
            if torch.cuda.is_available():
                return torch.cuda.is_bf16_supported()
            if hasattr(torch.backends, "mps") and torch.backends.mps.is_available():
                return {g.pick(['False', 'True'])}
            return True
    """))


def u_bf16_autocast_helper(g: Gen) -> Code:
    fn = g.uniq(lambda: g.pick(["get_autocast_context", "autocast_context", "maybe_autocast", "amp_context"]))
    return Code(block(f"""
        def {fn}(mixed_precision: str = "no", device_type: str = "cuda", cache_enabled: bool = True):
            \"\"\"Return an autocast context manager for the requested precision (a no-op for fp32).\"\"\"
            if mixed_precision == "bf16":
                return torch.autocast(device_type=device_type, dtype=torch.bfloat16, cache_enabled=cache_enabled)
            if mixed_precision == "fp16":
                return torch.autocast(device_type=device_type, dtype=torch.float16, cache_enabled=cache_enabled)
            return contextlib.nullcontext()


        def convert_outputs_to_fp32(model_forward):
            \"\"\"Wrap a forward so floating outputs computed in fp16/bf16 come back as fp32.\"\"\"

            def forward(*args, **kwargs):
                outputs = model_forward(*args, **kwargs)
                return recursively_apply(_convert_to_fp32, outputs, test_type=_is_fp16_bf16_tensor)

            return forward


        def _is_fp16_bf16_tensor(tensor):
            return hasattr(tensor, "dtype") and tensor.dtype in (torch.float16, torch.bfloat16)


        def _convert_to_fp32(tensor):
            return tensor.float()
    """))


def u_bf16_precision_plugin(g: Gen) -> Code:
    name = g.cls(["Precision", "MixedPrecision", "HalfPrecision", "AmpPlugin"])
    return Code(block(f"""
        class {name}:
            \"\"\"Mixed precision for training: ``"16-mixed"``, ``"bf16-mixed"`` or ``"bf16-true"``.\"\"\"

            def __init__(self, precision: str = "{g.pick(['bf16-mixed', '16-mixed', 'bf16-true'])}", device: str = "cuda", scaler=None) -> None:
                if precision not in ("16-mixed", "bf16-mixed", "bf16-true", "32-true"):
                    raise ValueError(f"Passed `{name}(precision={{precision!r}})` is not supported.")
                if scaler is None and precision == "16-mixed":
                    scaler = torch.cuda.amp.GradScaler()
                if scaler is not None and precision.startswith("bf16"):
                    raise ValueError(f"`precision={{precision!r}}` does not use a scaler, found {{scaler}}.")
                self.precision = precision
                self.device = device
                self.scaler = scaler

            @property
            def _desired_input_dtype(self) -> torch.dtype:
                if self.precision == "bf16-true":
                    return torch.bfloat16
                return torch.float16 if self.precision == "16-mixed" else torch.float32

            def convert_module(self, module: nn.Module) -> nn.Module:
                if self.precision == "bf16-true":
                    return module.to(dtype=torch.bfloat16)
                return module

            def autocast_context_manager(self):
                dtype = torch.bfloat16 if self.precision == "bf16-mixed" else torch.half
                return torch.autocast(self.device, dtype=dtype)

            def convert_input(self, data):
                return apply_to_collection(data, function=_convert_fp_tensor, dtype=Tensor, dst_type=self._desired_input_dtype)

            def convert_output(self, data):
                return apply_to_collection(data, function=_convert_fp_tensor, dtype=Tensor, dst_type=torch.get_default_dtype())

            def state_dict(self):
                if self.scaler is not None:
                    return self.scaler.state_dict()
                return {{}}
    """))


def u_bf16_training_args(g: Gen) -> Code:
    name = g.cls(["TrainingArguments", "Arguments", "TrainerConfig", "FinetuneArgs"])
    return Code(block(f"""
        @dataclass
        class {name}:
            output_dir: str = field(default="./outputs", metadata={{"help": "Where checkpoints are written."}})
            learning_rate: float = field(default={g.lr()}, metadata={{"help": "The initial learning rate for AdamW."}})
            per_device_train_batch_size: int = field(default={g.pick([1, 2, 4, 8, 16])})
            gradient_accumulation_steps: int = field(default={g.pick([1, 2, 4, 8])})
            num_train_epochs: float = field(default={g.pick(['1.0', '3.0', '10.0'])})
            bf16: bool = field(
                default={g.pick(['False', 'True'])},
                metadata={{"help": "Whether to use bf16 (mixed) precision instead of 32-bit. Requires Ampere or higher."}},
            )
            fp16: bool = field(default=False, metadata={{"help": "Whether to use fp16 (mixed) precision instead of 32-bit"}})
            bf16_full_eval: bool = field(default=False, metadata={{"help": "Whether to use full bfloat16 evaluation."}})
            tf32: Optional[bool] = field(default=None)
            gradient_checkpointing: bool = field(default={g.pick(['False', 'True'])})

            def __post_init__(self):
                if self.bf16 and self.fp16:
                    raise ValueError("At most one of fp16 and bf16 can be True, but not both")
                if self.bf16_full_eval and not self.bf16:
                    warnings.warn("bf16_full_eval without bf16 training is unusual")
                if self.bf16 and not is_bf16_available():
                    raise ValueError("Your setup doesn't support bf16/gpu. You need torch>=1.10 and an Ampere GPU")

            @property
            def compute_dtype(self) -> torch.dtype:
                if self.bf16:
                    return torch.bfloat16
                if self.fp16:
                    return torch.float16
                return torch.float32
    """))


def u_bf16_weight_dtype_script(g: Gen) -> Code:
    """diffusers-style training script body: weight_dtype for frozen text encoder/vae (no vision backbone)."""
    tenc = g.pick(["CLIPTextModel", "T5EncoderModel", "AutoModelForCausalLM"])
    return Code(block(f"""
        def {g.uniq(lambda: g.pick(['prepare_models', 'setup_models', 'load_models', 'build_pipeline_models']))}(args, accelerator):
            tokenizer = AutoTokenizer.from_pretrained(args.pretrained_model_name_or_path, subfolder="tokenizer")
            text_encoder = {tenc}.from_pretrained(args.pretrained_model_name_or_path, subfolder="text_encoder")
            vae = AutoencoderKL.from_pretrained(args.pretrained_model_name_or_path, subfolder="vae")
            unet = UNet2DConditionModel.from_pretrained(args.pretrained_model_name_or_path, subfolder="unet")

            vae.requires_grad_(False)
            text_encoder.requires_grad_(False)

            # For mixed precision training we cast the non-trainable weights (vae, text_encoder)
            # to half-precision; they are only used for inference.
            weight_dtype = torch.float32
            if accelerator.mixed_precision == "fp16":
                weight_dtype = torch.float16
            elif accelerator.mixed_precision == "bf16":
                weight_dtype = torch.bfloat16

            vae.to(accelerator.device, dtype=weight_dtype)
            text_encoder.to(accelerator.device, dtype=weight_dtype)
            if args.mixed_precision == "fp16":
                cast_training_params(unet, dtype=torch.float32)
            return tokenizer, text_encoder, vae, unet, weight_dtype


        def {g.uniq(lambda: g.pick(['training_step', 'compute_loss', 'diffusion_step']))}(batch, vae, unet, text_encoder, noise_scheduler, weight_dtype):
            latents = vae.encode(batch["pixel_values"].to(weight_dtype)).latent_dist.sample()
            latents = latents * vae.config.scaling_factor
            noise = torch.randn_like(latents)
            bsz = latents.shape[0]
            timesteps = torch.randint(0, noise_scheduler.config.num_train_timesteps, (bsz,), device=latents.device).long()
            noisy_latents = noise_scheduler.add_noise(latents, noise, timesteps)
            encoder_hidden_states = text_encoder(batch["input_ids"], return_dict=False)[0]
            model_pred = unet(noisy_latents, timesteps, encoder_hidden_states, return_dict=False)[0]
            return F.mse_loss(model_pred.float(), noise.float(), reduction="mean")
    """))


def u_bf16_lora(g: Gen) -> Code:
    name = g.cls(["LoraLayer", "Linear", "AdapterLayer", "LoraLinear"])
    return Code(block(f"""
        class {name}(nn.Module):
            def __init__(self, base_layer: nn.Module, r: int = {g.pick([4, 8, 16, 64])}, lora_alpha: int = {g.pick([8, 16, 32])}, lora_dropout: float = {g.pick(['0.0', '0.05', '0.1'])}):
                super().__init__()
                self.base_layer = base_layer
                self.r = r
                self.scaling = lora_alpha / r
                self.lora_dropout = nn.Dropout(lora_dropout) if lora_dropout > 0 else nn.Identity()
                self.lora_A = nn.Linear(base_layer.in_features, r, bias=False)
                self.lora_B = nn.Linear(r, base_layer.out_features, bias=False)
                nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
                nn.init.zeros_(self.lora_B.weight)

            def _cast_input_dtype(self, x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
                # bf16 base weights with fp32 adapters (or the reverse) need the input cast per branch
                if x.dtype == dtype:
                    return x
                if dtype == torch.bfloat16 and not torch.cuda.is_bf16_supported():
                    warnings.warn("bfloat16 adapter weights on a device without bf16 support")
                return x.to(dtype)

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                previous_dtype = x.dtype
                result = self.base_layer(x)
                lora_dtype = self.lora_A.weight.dtype
                x = self._cast_input_dtype(x, lora_dtype)
                result = result + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling
                return result.to(previous_dtype)

            def merge(self, safe_merge: bool = False) -> None:
                delta = (self.lora_B.weight @ self.lora_A.weight) * self.scaling
                orig_dtype = self.base_layer.weight.dtype
                if orig_dtype in (torch.float16, torch.bfloat16):
                    delta = delta.float()
                merged = self.base_layer.weight.data.float() + delta
                if safe_merge and not torch.isfinite(merged).all():
                    raise ValueError("NaNs detected in the merged weights")
                self.base_layer.weight.data = merged.to(orig_dtype)
    """))


def u_bf16_fsdp(g: Gen) -> Code:
    return Code(block(f"""
        def {g.uniq(lambda: g.pick(['get_mixed_precision_policy', 'build_fsdp_policy', 'fsdp_mixed_precision']))}(param_dtype: str = "{g.pick(['bf16', 'fp32', 'fp16'])}", reduce_dtype: str = "fp32", buffer_dtype: str = "fp32"):
            from torch.distributed.fsdp import MixedPrecision

            def _to(name):
                return {{"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}}[name]

            if param_dtype == "bf16" and not torch.cuda.is_bf16_supported():
                raise RuntimeError("bf16 FSDP requires a GPU with bfloat16 support")
            return MixedPrecision(param_dtype=_to(param_dtype), reduce_dtype=_to(reduce_dtype), buffer_dtype=_to(buffer_dtype))


        def {g.uniq(lambda: g.pick(['upcast_vae', 'upcast_module', 'force_upcast']))}(module: nn.Module, keep_in_fp32: Tuple[str, ...] = ("norm", "embed")):
            dtype = next(module.parameters()).dtype
            if dtype not in (torch.float16, torch.bfloat16):
                return module
            for name, sub in module.named_modules():
                if any(key in name for key in keep_in_fp32):
                    sub.to(torch.float32)
            return module
    """))


def u_bf16_quant(g: Gen) -> Code:
    return Code(block(f"""
        def {g.uniq(lambda: g.pick(['check_compute_dtype', 'validate_dtype', 'resolve_compute_dtype']))}(compute_dtype, device=None):
            if isinstance(compute_dtype, str):
                compute_dtype = getattr(torch, compute_dtype)
            if compute_dtype == torch.bfloat16 and device is not None and device.type == "cuda":
                major, _ = torch.cuda.get_device_capability(device)
                if major < 8:
                    logger.warning("bfloat16 compute on a pre-Ampere GPU is emulated and slow; using float16")
                    compute_dtype = torch.float16
            return compute_dtype


        def {g.uniq(lambda: g.pick(['cast_state_dict', 'convert_state_dict_dtype', 'state_dict_to']))}(state_dict, dtype=torch.bfloat16, skip=("running_mean", "running_var", "num_batches_tracked")):
            out = {{}}
            for key, value in state_dict.items():
                if torch.is_floating_point(value) and not key.endswith(skip):
                    out[key] = value.to(dtype)
                else:
                    out[key] = value
            return out
    """))


def u_tests_bf16(g: Gen) -> Code:
    fn = g.uniq(lambda: f"test_{g.pick(W_MOD)}_{g.pick(['dtype', 'mixed_precision', 'autocast', 'half'])}")
    return Code(block(f"""
        @pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16])
        def {fn}(dtype):
            if dtype == torch.bfloat16 and not is_bf16_available():
                pytest.skip("bf16 not supported on this device")
            layer = nn.Linear({g.ch()}, {g.ch()}).to(dtype)
            x = torch.randn({g.pick([2, 4, 8])}, layer.in_features, dtype=dtype)
            assert layer(x).dtype == dtype


        @pytest.mark.parametrize("precision", ["bf16-mixed", "16-mixed", "32-true"])
        def {fn}_plugin(precision):
            plugin = MixedPrecision(precision=precision, device="cpu")
            expected = {{"bf16-mixed": torch.bfloat16, "16-mixed": torch.half, "32-true": torch.float32}}[precision]
            with plugin.autocast_context_manager():
                out = torch.mm(torch.randn(4, 4), torch.randn(4, 4))
            assert out.dtype in (expected, torch.float32)


    """))


BF16_LIB_UNITS = [u_bf16_dtype_helpers, u_bf16_autocast_helper, u_bf16_precision_plugin, u_bf16_training_args,
                  u_bf16_weight_dtype_script, u_bf16_lora, u_bf16_fsdp, u_bf16_quant]


def u_bf16_timm_train(g: Gen) -> Code:
    """timm train.py shape: --amp-dtype bfloat16 plus create_model(pretrained=...); the batch stays fp32 (safe)."""
    return Code(block(f"""
        def {g.uniq(lambda: g.pick(['setup_amp', 'resolve_amp', 'configure_amp']))}(args, device):
            amp_dtype = torch.float16
            if args.amp_dtype == "bfloat16":
                amp_dtype = torch.bfloat16
            use_amp = args.amp
            if use_amp:
                amp_autocast = partial(torch.autocast, device_type=device.type, dtype=amp_dtype)
                loss_scaler = None if amp_dtype == torch.bfloat16 else torch.cuda.amp.GradScaler()
            else:
                amp_autocast = contextlib.nullcontext
                loss_scaler = None
            return amp_autocast, loss_scaler


        def {g.uniq(lambda: g.pick(['create_backbone', 'build_model', 'make_model']))}(args):
            model = timm.create_model(
                args.model,
                pretrained=args.pretrained,
                num_classes=args.num_classes,
                drop_rate=args.drop,
                drop_path_rate=args.drop_path,
            )
            if args.channels_last:
                model.to(memory_format=torch.channels_last)
            return model


        def {g.uniq(lambda: g.pick(['train_step', 'step', 'one_step']))}(model, batch, criterion, optimizer, amp_autocast, loss_scaler, device):
            input, target = batch
            input, target = input.to(device), target.to(device)
            with amp_autocast():
                output = model(input)
                loss = criterion(output, target)
            optimizer.zero_grad()
            if loss_scaler is not None:
                loss_scaler.scale(loss).backward()
                loss_scaler.step(optimizer)
                loss_scaler.update()
            else:
                loss.backward()
                optimizer.step()
            return loss.detach()
    """))


def _backbone_expr(g: Gen, kind: str) -> Tuple[str, int]:
    if kind == "hub":
        entry = g.pick(DINO_ENTRIES)
        q = g.pick(['"', "'"])
        return f"torch.hub.load({q}facebookresearch/dinov2{q}, {q}{entry}{q})", DINO_DIMS[entry]
    name = g.pick(["vit_small_patch14_dinov2.lvd142m", "vit_base_patch16_224", "convnext_tiny", "resnet50", "eva02_small_patch14_224"])
    dim = {"vit_small_patch14_dinov2.lvd142m": 384, "vit_base_patch16_224": 768, "convnext_tiny": 768,
           "resnet50": 2048, "eva02_small_patch14_224": 384}[name]
    return f"timm.create_model(\"{name}\", pretrained=True, num_classes=0)", dim


def u_feature_extract(g: Gen, variant: str) -> Code:
    """Feature extraction with a pretrained backbone and a bf16 batch.

    variant: bug (BFD001) | float (cast back, safe) | model_bf16 (backbone cast, safe) |
             autocast (BFD002) | hf_selfcast (safe) | normalize (upcast by fp32 mean/std, safe)
    """
    kind = g.pick(["hub", "timm"])
    expr, dim = _backbone_expr(g, kind)
    fn = g.uniq(lambda: g.pick(["extract_features", "compute_embeddings", "embed_images", "encode_dataset", "run_linear_probe_features"]))
    bb = g.pick(["backbone", "encoder", "feature_extractor", "model"])
    c = Code()
    if variant == "hf_selfcast":
        c.lines.append(f"{bb} = Dinov2Model.from_pretrained(\"facebook/dinov2-{g.pick(['small', 'base', 'large'])}\").to(DEVICE).eval()")
    elif variant == "model_bf16":
        c.lines.append(f"{bb} = {expr}.to(DEVICE, dtype=torch.bfloat16).eval()")
    else:
        c.lines.append(f"{bb} = {expr}")
        c.lines.append(f"{bb}.to(DEVICE).eval()")
    sep(c)
    c.lines.append("@torch.no_grad()")
    c.lines.append(f"def {fn}(loader, use_bf16={g.pick(['True', 'False'])}):")
    c.lines.append("    feats, labels = [], []")
    c.lines.append("    for images, targets in loader:")
    if variant == "normalize":
        c.lines.append("        images = images.to(DEVICE, dtype=torch.bfloat16)")
        c.lines.append("        images = (images - MEAN.to(DEVICE)) / STD.to(DEVICE)  # MEAN/STD: fp32, shape (1, 3, 1, 1)")
    elif variant == "float":
        c.lines.append("        images = images.to(DEVICE, dtype=torch.bfloat16 if use_bf16 else torch.float32)")
        c.lines.append("        images = images.float()")
    else:
        c.lines.append(g.pick([
            "        images = images.to(DEVICE, dtype=torch.bfloat16)",
            "        images = images.to(DEVICE).to(torch.bfloat16)",
            "        images = images.to(DEVICE, non_blocking=True).bfloat16()",
        ]))
    call = f"{bb}(pixel_values=images).pooler_output" if variant == "hf_selfcast" else f"{bb}(images)"
    if variant == "autocast":
        c.lines.append("        with torch.autocast(\"cuda\", dtype=torch.bfloat16):")
        c.lines.append(f"            out = {call}")
        # a hard-coded 'cuda' autocast around a device chosen at run time does not protect a CPU run
        c.mark("BFD003" if g.runtime_device else "BFD002")
    else:
        c.lines.append(f"        out = {call}")
        if variant == "bug":
            c.mark("BFD001")
    c.lines.append("        feats.append(out.float().cpu())")
    c.lines.append("        labels.append(targets)")
    c.lines.append("    return torch.cat(feats), torch.cat(labels)")
    sep(c)
    return c


def u_wrapper_bug(g: Gen, variant: str) -> Code:
    """A wrapper module holding a hub/timm backbone; a dataset caching bf16 images; an eval loop.

    variant: bug (eval loop outside autocast -> BFD001) | autocast (whole loop in autocast -> BFD002) |
             float (batch cast with .float() after the move, safe)
    """
    kind = g.pick(["hub", "timm"])
    expr, dim = _backbone_expr(g, kind)
    wrap = g.cls(["Classifier", "LinearProbe", "Model", "Regressor"])
    ds = g.cls(["CachedDataset", "GPUCachedDataset", "TensorDataset", "MemoryDataset"])
    key = g.pick(["image", "images", "pixel_values", "img"])
    vname = g.uniq(lambda: g.pick(["validate", "evaluate_probe", "run_validation"]))
    c = Code(block(f"""
        class {ds}(Dataset):
            \"\"\"Keeps the whole (small) dataset on the GPU; optionally in bfloat16 to halve the memory.\"\"\"

            def __init__(self, images, labels, device, use_bf16=False):
                dtype = torch.bfloat16 if use_bf16 else torch.float32
                self.images = images.to(device, dtype=dtype)
                self.labels = labels.to(device)

            def __len__(self):
                return len(self.labels)

            def __getitem__(self, idx):
                return {{"{key}": self.images[idx], "label": self.labels[idx]}}


        class {wrap}(nn.Module):
            def __init__(self, num_classes: int, freeze_backbone: bool = True):
                super().__init__()
                self.backbone = {expr}
                if freeze_backbone:
                    for p in self.backbone.parameters():
                        p.requires_grad = False
                self.head = nn.Linear({dim}, num_classes)

            def forward(self, x):
                return self.head(self.backbone(x))


        def {vname}(model, loader, device):
            model.eval()
            correct = total = 0
            with torch.no_grad():
                for batch in loader:
                    batch = {{k: v.to(device) for k, v in batch.items()}}
    """))
    if variant == "float":
        c.lines.append(f"            batch[\"{key}\"] = batch[\"{key}\"].float()")
    if variant == "autocast":
        c.lines.append("            with torch.autocast(device.type, dtype=torch.bfloat16):")
        c.lines.append(f"                logits = model(batch[\"{key}\"])")
        c.mark("BFD002")
    else:
        c.lines.append(f"            logits = model(batch[\"{key}\"])")
        if variant == "bug":
            c.mark("BFD001")
    c.add(block(f"""
                    correct += (logits.argmax(-1) == batch["label"]).sum().item()
                    total += batch["label"].numel()
            return correct / max(total, 1)


        def {g.uniq(lambda: g.pick(['run_probe', 'probe_main', 'evaluate_cached']))}(cfg):
            device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
            images, labels = torch.load(cfg.data_path)
            val_ds = {ds}(images, labels, device, use_bf16=cfg.training.use_bf16)
            val_loader = DataLoader(val_ds, batch_size=cfg.batch_size, shuffle=False)
            model = {wrap}(num_classes=cfg.num_classes).to(device)
            return {vname}(model, val_loader, device)
    """))
    return c


def u_weight_dtype_backbone(g: Gen, variant: str) -> Code:
    """diffusers/accelerate-style weight_dtype reaching an image encoder.

    variant: bug (fp32 hub/timm encoder) | model_cast (encoder.to(dtype=weight_dtype), safe)
    """
    expr, dim = _backbone_expr(g, g.pick(["hub", "timm"]))
    c = Code(block(f"""
        def {g.uniq(lambda: g.pick(['encode_images', 'compute_image_embeddings', 'image_features']))}(args, accelerator, dataloader):
            weight_dtype = torch.float32
            if accelerator.mixed_precision == "fp16":
                weight_dtype = torch.float16
            elif accelerator.mixed_precision == "bf16":
                weight_dtype = torch.bfloat16

            image_encoder = {expr}
    """))
    if variant == "model_cast":
        c.lines.append("    image_encoder.to(accelerator.device, dtype=weight_dtype)")
    else:
        c.lines.append("    image_encoder.to(accelerator.device)")
    c.add(block("""
        image_encoder.requires_grad_(False)
        embeddings = []
        for batch in dataloader:
            pixel_values = batch["pixel_values"].to(accelerator.device, dtype=weight_dtype)
            with torch.no_grad():
                image_embeds = image_encoder(pixel_values)
    """, "    "))
    if variant == "bug":
        c.mark("BFD001")
    c.add(block("""
            embeddings.append(image_embeds.float().cpu())
        return torch.cat(embeddings)


    """, "    "))
    return c


# ---------------------------------------------------------------------------------------
# file builders
# ---------------------------------------------------------------------------------------
# Calibrated with PY_CALIBRATION below so that --scale 1 gives ~4,000 .py files and ~700k lines.
LENGTH_CALIBRATION = 0.88


def line_target(g: Gen, kind: str, len_mult: float = 1.0) -> int:
    """Draw a target length: log-normal, mostly 50-800 lines; a few long library files of 2-3k lines."""
    median, lo, hi = {
        "model": (150, 40, 1400), "layers": (100, 30, 900), "data": (110, 40, 700), "util": (90, 30, 800),
        "config": (45, 20, 200), "test": (90, 25, 600), "script": (150, 100, 900), "lib": (160, 40, 1500),
        "init": (8, 1, 40), "notebook_py": (80, 30, 300),
    }[kind]
    if kind in ("model", "lib") and g.chance(0.035):
        return g.i(1800, 3100)
    if kind == "init":
        len_mult = 1.0
    len_mult *= LENGTH_CALIBRATION
    return int(min(max(hi, min(hi * len_mult, 3100)), max(lo * min(1.0, len_mult),
                                                           g.r.lognormvariate(math.log(median * len_mult), 0.75))))


MODEL_UNITS = [(u_conv_block, 3), (u_bottleneck, 2), (u_attention, 3), (u_mlp, 3), (u_transformer_block, 3),
               (u_patch_embed, 2), (u_vit_model, 2), (u_cnn_model, 2), (u_seg_head, 2), (u_model_helpers, 3),
               (u_registry, 2), (u_default_cfgs, 1)]
DATA_UNITS = [(u_dataset, 3), (u_dict_dataset, 3), (u_transforms, 3), (u_collate, 2), (u_sampler, 1), (u_small_funcs, 2)]
UTIL_UNITS = [(u_meter, 2), (u_accuracy, 2), (u_checkpoint, 2), (u_distributed, 2), (u_seed, 1), (u_scheduler, 2),
              (u_ema, 1), (u_param_groups, 2), (u_logger, 2), (u_small_funcs, 4)]
LIB_UNITS = [(u_small_funcs, 3), (u_attention, 1), (u_mlp, 1), (u_checkpoint, 1), (u_conv_block, 1), (u_model_helpers, 1),
             (u_scheduler, 1), (u_param_groups, 1)]


# units that define fixed names: at most once per file (a second copy would be a redefinition)
SINGLETONS = ("u_distributed", "u_default_cfgs", "u_seed", "u_logger", "u_collate")


def weighted(g: Gen, units):
    fresh = [(u, w) for u, w in units if not (u.__name__ in SINGLETONS and u.__name__ in g.units_used)]
    units = fresh or units
    u = _weighted(g, units)
    g.units_used.append(u.__name__)
    return u


def _weighted(g: Gen, units):
    total = sum(w for _, w in units)
    x = g.r.uniform(0, total)
    for u, w in units:
        x -= w
        if x <= 0:
            return u
    return units[-1][0]


def fill(g: Gen, c: Code, units, target: int) -> None:
    while len(c.lines) < target:
        c.add(weighted(g, units)(g))
        sep(c)


def py_file(g: Gen, kind: str, bf16=None, len_mult: float = 1.0) -> Tuple[str, List[Tuple[int, str]]]:
    """One .py file. bf16: None | 'lib' | 'lib_dense' | 'app_safe' | (unit_fn, variant) for a planted shape."""
    target = line_target(g, kind, len_mult)
    c = Code()
    if kind == "init":
        names: List[str] = []
        for _ in range(g.i(0, 12)):
            a, b = g.cls(), g.fn()
            names.extend([a, b])
            c.lines.append(f"from .{g.pick(W_MOD)}_{g.pick(W_NOUN)} import {a}, {b}")
        if names and g.chance(0.7):
            c.lines.append("")
            c.lines.append("__all__ = [")
            c.lines.extend(f'    "{n}",' for n in names)
            c.lines.append("]")
        return assemble(g, kind, c)
    units = {"model": MODEL_UNITS, "layers": MODEL_UNITS, "data": DATA_UNITS, "util": UTIL_UNITS,
             "lib": LIB_UNITS, "notebook_py": UTIL_UNITS + DATA_UNITS}.get(kind)
    if kind == "config":
        c.add(u_config_dataclass(g) if g.chance(0.4) else u_config_dict(g))
        while len(c.lines) < target:
            sep(c)
            c.add(u_config_dataclass(g))
        return assemble(g, kind, c)
    if kind == "test":
        if bf16 in ("lib", "lib_dense"):
            c.add(u_tests_bf16(g))
        fill(g, c, [(u_tests, 1)], target)
        return assemble(g, kind, c)

    plant = bf16 if isinstance(bf16, tuple) else None
    if plant:
        g.runtime_device = g.chance(0.5)
        c.lines.extend(['DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")' if g.runtime_device
                        else 'DEVICE = "cuda"',
                        "MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)",
                        "STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)", "", ""])
    if kind == "script":
        if bf16 == "app_safe":
            c.add(u_bf16_timm_train(g))
            sep(c)
        if bf16 in ("lib", "lib_dense"):
            for unit in g.r.sample([u_bf16_weight_dtype_script, u_bf16_training_args, u_bf16_dtype_helpers], g.i(1, 2)):
                c.add(unit(g))
                sep(c)
        if plant:
            c.add(plant[0](g, plant[1]))
            sep(c)
        c.add(u_parse_args(g, [f'    parser.add_argument("--amp-dtype", default="{g.pick(["float16", "bfloat16"])}", type=str)'] if bf16 == "app_safe" else ()))
        while len(c.lines) < target - 60:
            c.add(weighted(g, UTIL_UNITS + [(u_transforms, 2)])(g))
            sep(c)
        c.add(u_train_loop(g, g.pick(["none", "fp16"])))
        c.add(u_eval_loop(g))
        c.add(u_main(g, g.pick(["plain", "plain", "timm", "tv", "hub"]) if g.chance(0.5) else "plain"))
        return assemble(g, kind, c)
    if bf16 in ("lib", "lib_dense"):
        # library-like files: dtype helpers scattered among ordinary code; dense ones are mostly bf16 units
        n = g.i(1, 2) if bf16 == "lib" else g.i(3, 6)
        share = 0.25 if bf16 == "lib" else 0.7
        order = g.r.sample(BF16_LIB_UNITS, n)
        base_units = units or LIB_UNITS
        while order or len(c.lines) < target:
            if order and (g.chance(share) or len(c.lines) >= target):
                c.add(order.pop()(g))
            else:
                c.add(weighted(g, base_units)(g))
            sep(c)
        return assemble(g, kind, c)
    if plant:
        fill(g, c, units, target // 2)
        c.add(plant[0](g, plant[1]))
        sep(c)
    fill(g, c, units, target)
    return assemble(g, kind, c)


# ---------------------------------------------------------------------------------------
# notebooks
# ---------------------------------------------------------------------------------------
def src_lines(text: str) -> List[str]:
    lines = text.split("\n")
    return [ln + "\n" for ln in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def md_cell(g: Gen, text: str) -> dict:
    cell = {"cell_type": "markdown", "metadata": {}, "source": src_lines(text)}
    if g.chance(0.5):
        cell["id"] = g.r.getrandbits(64).to_bytes(8, "big").hex()[:8]
    return cell


def code_cell(g: Gen, text: str, outputs: Optional[list] = None, count: Optional[int] = None) -> dict:
    cell = {"cell_type": "code", "execution_count": count, "metadata": {}, "outputs": outputs or [],
            "source": src_lines(text)}
    if g.chance(0.5):
        cell["id"] = g.r.getrandbits(64).to_bytes(8, "big").hex()[:8]
    return cell


def stream(text: str) -> dict:
    return {"name": "stdout", "output_type": "stream", "text": src_lines(text)}


def png_output(g: Gen) -> dict:
    raw = b"\x89PNG\r\n\x1a\n" + g.randbytes(g.i(2000, 40000))
    b64 = base64.b64encode(raw).decode("ascii")
    return {"data": {"image/png": b64, "text/plain": ["<Figure size 640x480 with 1 Axes>"]},
            "metadata": {}, "output_type": "display_data"}


def nb_md(g: Gen) -> str:
    title = g.pick(["##", "###", "#"]) + " " + g.sentence(2, 6).rstrip(".")
    paras = [g.sentence(8, 30) for _ in range(g.i(0, 3))]
    if g.chance(0.2):
        paras.append("\n".join(f"- {g.sentence(3, 9)}" for _ in range(g.i(2, 5))))
    if g.chance(0.1):
        paras.append("$$\\mathcal{L} = -\\sum_i y_i \\log \\hat{y}_i$$")
    return "\n\n".join([title] + paras)


def unit_text(c: Code) -> Tuple[str, List[Tuple[int, str]]]:
    lines = list(c.lines)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines), list(c.marks)


def notebook(g: Gen, flavor: str) -> Tuple[str, List[dict]]:
    """flavor: tutorial | experiment | eda | bf16_train | seed_bug | seed_float | hub_demo."""
    cells: List[dict] = []
    marks: List[dict] = []
    count = [0]
    executed = g.chance(0.6)
    with_png = executed and g.chance(0.35)

    def code(text: str, out_text: Optional[str] = None, png: bool = False, cmarks=()):
        outs = []
        if executed:
            count[0] += 1
            if out_text:
                outs.append(stream(out_text))
            if png:
                outs.append(png_output(g))
        cells.append(code_cell(g, text, outs, count[0] if executed else None))
        for line, label in cmarks:
            marks.append({"cell": len(cells), "line": line + 1, "label": label})

    cells.append(md_cell(g, "# " + g.sentence(3, 8).rstrip(".") + "\n\n" + g.sentence(10, 30)))
    if g.chance(0.4):
        code(g.pick(["!pip install -q timm torchvision", "%pip install -q torch torchvision matplotlib",
                     "!nvidia-smi", "%load_ext autoreload\n%autoreload 2"]),
             "Requirement already satisfied: timm in /usr/local/lib/python3.10/dist-packages (0.9.16)\n" if g.chance(0.5) else None)
    code("# imports: filled in once every cell is known")
    import_cell = cells[-1]
    inline = "\n%matplotlib inline" if g.chance(0.4) else ""

    if flavor == "eda":
        code(f"df = pd.read_csv(\"{g.pick(W_DATA)}_annotations.csv\")\ndf.head()")
        for _ in range(g.i(4, 14)):
            if g.chance(0.4):
                cells.append(md_cell(g, nb_md(g)))
            col = g.pick(["label", "width", "height", "split", "area", "score"])
            code(g.pick([
                f"df = pd.read_csv(\"{g.pick(W_DATA)}_annotations.csv\")\ndf.head()",
                f"df[\"{col}\"].describe()",
                f"fig, ax = plt.subplots(1, 2, figsize=(12, 4))\ndf[\"{col}\"].hist(ax=ax[0], bins={g.pick([20, 50, 100])})\nax[1].scatter(df[\"width\"], df[\"height\"], s=2)\nplt.show()",
                f"counts = df.groupby(\"{col}\").size().sort_values(ascending=False)\nprint(counts.head({g.pick([5, 10, 20])}))",
                f"mask = (df[\"width\"] > {g.pick([32, 64, 128])}) & (df[\"height\"] > {g.pick([32, 64])})\nprint(mask.mean())\ndf = df[mask].reset_index(drop=True)",
            ]), f"{g.r.random():.4f}\n" if g.chance(0.5) else None, png=with_png and g.chance(0.3))
        return _nb_finish(g, cells, import_cell, inline), marks

    code("device = torch.device(\"cuda\" if torch.cuda.is_available() else \"cpu\")\nprint(device)", "cuda\n")
    if flavor in ("seed_bug", "seed_float", "bf16_train"):
        cells.append(md_cell(g, "## Configuration"))
        code("\n".join(block(f"""
            class Cfg:
                pass

            config = Cfg()
            config.training = Cfg()
            config.training.use_bf16 = True
            config.training.lr = {g.lr()}
            config.training.epochs = {g.pick([5, 10, 20])}
            config.batch_size = {g.pick([32, 64, 128])}
            config.num_classes = {g.pick([10, 37, 102, 200])}
        """)))
    # ordinary content: a few helper units as cells
    for _ in range(g.i(1, 4) if flavor != "tutorial" else g.i(3, 8)):
        if g.chance(0.6):
            cells.append(md_cell(g, nb_md(g)))
        u = weighted(g, [(u_transforms, 2), (u_dataset, 2), (u_conv_block, 1), (u_mlp, 1), (u_meter, 1),
                         (u_accuracy, 1), (u_attention, 1), (u_small_funcs, 2), (u_cnn_model, 1)])
        code(unit_text(u(g))[0])

    if flavor in ("seed_bug", "seed_float"):
        wrap = g.cls(["Classifier", "DinoClassifier", "Probe"])
        key = g.pick(["image", "images", "pixel_values"])
        entry = g.pick(DINO_ENTRIES)
        cells.append(md_cell(g, "## Data: cache the whole dataset on the GPU"))
        code("\n".join(block(f"""
            class GPUCachedDataset(Dataset):
                def __init__(self, images, labels, device, use_bf16=False):
                    self.dtype = torch.bfloat16 if use_bf16 else torch.float32
                    self.images = images.to(device=device, dtype=self.dtype)
                    self.labels = labels.to(device)

                def __len__(self):
                    return len(self.labels)

                def __getitem__(self, i):
                    return {{"{key}": self.images[i], "label": self.labels[i]}}
        """)))
        code("\n".join(block(f"""
            x_train, y_train = torch.load("train_{g.pick(W_DATA)}.pt")
            x_val, y_val = torch.load("val.pt")
            train_ds = GPUCachedDataset(x_train, y_train, device, use_bf16=config.training.use_bf16)
            val_ds = GPUCachedDataset(x_val, y_val, device, use_bf16=config.training.use_bf16)
            train_loader = DataLoader(train_ds, batch_size=config.batch_size, shuffle=True)
            val_loader = DataLoader(val_ds, batch_size=config.batch_size)
            len(train_ds), len(val_ds)
        """)), f"({g.i(1000, 50000)}, {g.i(200, 5000)})\n")
        cells.append(md_cell(g, "## Model: frozen DINOv2 + linear head"))
        code("\n".join(block(f"""
            class {wrap}(nn.Module):
                def __init__(self, num_classes):
                    super().__init__()
                    self.backbone = torch.hub.load('facebookresearch/dinov2', '{entry}')
                    self.head = nn.Linear({DINO_DIMS[entry]}, num_classes)

                def forward(self, x):
                    with torch.no_grad():
                        feats = self.backbone(x)
                    return self.head(feats)

            model = {wrap}(config.num_classes).to(device)
            optimizer = torch.optim.AdamW(model.head.parameters(), lr=config.training.lr)
            criterion = nn.CrossEntropyLoss()
        """)), "Using cache found in /root/.cache/torch/hub/facebookresearch_dinov2_main\n")
        cells.append(md_cell(g, "## Train (bf16 autocast)"))
        tr = Code(block(f"""
            for epoch in range(config.training.epochs):
                model.train()
                for batch in train_loader:
                    batch = {{k: v.to(device) for k, v in batch.items()}}
                    with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=config.training.use_bf16):
                        logits = model(batch["{key}"])
        """))
        tr.mark("BFD002")
        tr.add(block("""
                        loss = criterion(logits, batch["label"])
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                print(f"epoch {epoch}: loss {loss.item():.4f}")
        """))
        t, m = unit_text(tr)
        code(t, "".join(f"epoch {e}: loss {g.r.uniform(0.1, 2.5):.4f}\n" for e in range(3)), cmarks=m)
        cells.append(md_cell(g, "## Validation"))
        va = Code(block("""
            model.eval()
            correct = total = 0
            with torch.no_grad():
                for batch in val_loader:
                    batch = {k: v.to(device) for k, v in batch.items()}
        """))
        if flavor == "seed_float":
            va.lines.append(f"        batch[\"{key}\"] = batch[\"{key}\"].float()")
        va.lines.append(f"        logits = model(batch[\"{key}\"])")
        if flavor == "seed_bug":
            va.mark("BFD001")
        va.add(block("""
                    correct += (logits.argmax(-1) == batch["label"]).sum().item()
                    total += batch["label"].numel()
            print(f"val acc: {correct / total:.3f}")
        """))
        t, m = unit_text(va)
        code(t, None if flavor == "seed_bug" else f"val acc: {g.r.uniform(0.5, 0.95):.3f}\n", cmarks=m)
    elif flavor == "bf16_train":
        code(nb_setup(g, "config.num_classes"))
        cells.append(md_cell(g, "## Mixed-precision training with bfloat16 autocast"))
        code("\n".join(block(f"""
            model = torchvision.models.{g.pick(TV_MODELS)}(num_classes=config.num_classes).to(device)
            optimizer = torch.optim.SGD(model.parameters(), lr=config.training.lr, momentum=0.9)
            amp_dtype = torch.bfloat16 if config.training.use_bf16 else torch.float16
            scaler = torch.cuda.amp.GradScaler(enabled=amp_dtype == torch.float16)

            for epoch in range(config.training.epochs):
                for images, labels in train_loader:
                    images, labels = images.to(device), labels.to(device)
                    with torch.autocast(device_type="cuda", dtype=amp_dtype):
                        loss = F.cross_entropy(model(images), labels)
                    optimizer.zero_grad()
                    scaler.scale(loss).backward()
                    scaler.step(optimizer)
                    scaler.update()
        """)), "".join(f"[{e}] loss={g.r.uniform(0.1, 2.0):.3f}\n" for e in range(g.i(2, 5))))
    elif flavor == "hub_demo":
        entry = g.pick(DINO_ENTRIES)
        cells.append(md_cell(g, "## Load a pretrained DINOv2 and look at its features"))
        code(f"model = torch.hub.load('facebookresearch/dinov2', '{entry}').to(device).eval()",
             "Downloading: \"https://github.com/facebookresearch/dinov2/zipball/main\" to /root/.cache/torch/hub/main.zip\n")
        code("\n".join(block(f"""
            img = T.Compose([T.Resize({g.pick([224, 518, 448])}), T.CenterCrop({g.pick([224, 518, 448])}), T.ToTensor(),
                             T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])(Image.open("{g.pick(W_DATA)}.jpg").convert("RGB"))
            with torch.no_grad():
                feats = model.forward_features(img[None].to(device))
            patch = feats["x_norm_patchtokens"][0].cpu().numpy()
            patch.shape
        """)), f"({g.pick([256, 1369, 1024])}, {DINO_DIMS[entry]})\n")
        code("\n".join(block("""
            from sklearn.decomposition import PCA
            pca = PCA(n_components=3).fit(patch)
            rgb = pca.transform(patch)
            rgb = (rgb - rgb.min(0)) / (rgb.max(0) - rgb.min(0))
            side = int(math.sqrt(rgb.shape[0]))
            plt.imshow(rgb.reshape(side, side, 3))
            plt.axis("off")
        """)), None, png=with_png)
    else:  # tutorial / experiment: train a small model the ordinary way
        code(nb_setup(g, str(g.pick([10, 100, 37, 200])), model=True))
        cells.append(md_cell(g, "## " + g.pick(["Training", "Train the model", "Fit", "Training loop"])))
        code(unit_text(u_train_loop(g, g.pick(["none", "fp16"])))[0])
        code(unit_text(u_eval_loop(g))[0])
        code("\n".join(block(f"""
            history = []
            for epoch in range({g.pick([3, 5, 10, 20])}):
                stats = {g.train_fn}(model, criterion, train_loader, optimizer, device, epoch)
                history.append(stats["loss"])
            plt.plot(history)
            plt.xlabel("epoch")
            plt.ylabel("loss")
        """)), "".join(f"Epoch: [{e}] [0/{g.i(50, 900)}] loss: {g.r.uniform(0.1, 2.5):.4f} lr: 0.000100\n" for e in range(g.i(2, 6))),
            png=with_png)
    for _ in range(g.i(0, 3)):
        if g.chance(0.5):
            cells.append(md_cell(g, nb_md(g)))
        code(g.pick(["torch.save(model.state_dict(), \"model.pth\")", "print(model)",
                     "plt.figure(figsize=(8, 8))\nfor i in range(16):\n    plt.subplot(4, 4, i + 1)\n    plt.axis(\"off\")\nplt.show()",
                     "sum(p.numel() for p in model.parameters()) / 1e6"]),
             None, png=with_png and g.chance(0.3))
    if g.chance(0.3):
        cells.append(code_cell(g, "", [], None))
    return _nb_finish(g, cells, import_cell, inline), marks


def nb_setup(g: Gen, num_classes: str, model: bool = False) -> str:
    size = g.pick([32, 64, 96, 224])
    lines = [
        f"train_ds = datasets.{g.pick(['FakeData', 'CIFAR10', 'FakeData'])}(" + (
            f"size={g.pick([1000, 5000])}, image_size=(3, {size}, {size}), num_classes={num_classes}, transform=T.ToTensor())"
            if g.chance(0.5) else "root=\"./data\", train=True, download=True, transform=T.ToTensor())"),
        f"val_ds = datasets.FakeData(size={g.pick([200, 500])}, image_size=(3, {size}, {size}), num_classes={num_classes}, transform=T.ToTensor())",
        f"train_loader = DataLoader(train_ds, batch_size={g.pick([32, 64, 128])}, shuffle=True, num_workers={g.pick([0, 2, 4])})",
        f"val_loader = DataLoader(val_ds, batch_size={g.pick([64, 256])})",
    ]
    if model:
        lines.append(g.pick([
            f"model = torchvision.models.{g.pick(TV_MODELS)}(num_classes={num_classes}).to(device)",
            f"model = timm.create_model(\"{g.pick(TIMM_MODELS)}\", pretrained=True, num_classes={num_classes}).to(device)",
            f"model = torchvision.models.{g.pick(TV_MODELS)}(weights=\"DEFAULT\").to(device)",
        ]))
        lines.append("criterion = nn.CrossEntropyLoss()")
        lines.append(f"optimizer = torch.optim.{g.pick(['AdamW', 'SGD', 'Adam'])}(model.parameters(), lr={g.lr()})")
    return "\n".join(lines)


def _nb_finish(g: Gen, cells: List[dict], import_cell: dict, inline: str) -> str:
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    imports = [ln for ln in imports_for(g, code, "notebook") if ln and not ln.startswith("logger")]
    import_cell["source"] = src_lines("\n".join(imports) + inline)
    return _nb_json(g, cells)


def _nb_json(g: Gen, cells: List[dict]) -> str:
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                              "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                              "pygments_lexer": "ipython3", "version": g.pick(["3.10.12", "3.11.7", "3.9.18", "3.12.2"])},
        },
        "nbformat": 4,
        "nbformat_minor": g.pick([4, 5]),
    }
    if nb["nbformat_minor"] < 5:
        for cell in cells:
            cell.pop("id", None)
    else:
        for i, cell in enumerate(cells):
            cell.setdefault("id", f"c{i:04d}{g.r.getrandbits(16):04x}")
    if g.chance(0.3):
        nb["metadata"]["accelerator"] = "GPU"
        nb["metadata"]["colab"] = {"provenance": [], "gpuType": "T4"}
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------
# corpus layout
# ---------------------------------------------------------------------------------------
# A repository: (name, [(subdir, kind, count, bf16 share, bf16 mode)], notebooks [(subdir, count, flavor weights)])
# bf16 mode: "lib" (a couple of dtype helpers among ordinary code), "lib_dense" (mostly dtype helpers),
# "app_safe" (timm-style --amp-dtype bfloat16 with create_model: bf16 and a backbone, no bug).
NB_FLAVORS = [("tutorial", 5), ("experiment", 5), ("eda", 2), ("hub_demo", 1.2), ("bf16_train", 0.5)]

PROFILES: Dict[str, dict] = {
    # default: application-heavy like timm/pytorch-examples plus a few bf16-dense libraries;
    # a few percent of files mention bf16.
    "default": {"app": 1.0, "lib_scale": 1.0, "lib_bf16": 1.0, "bf16_len": 1.0, "other_len": 1.0},
    # PERF.md's ten-repository mix: libraries (diffusers/accelerate/peft/Lightning) are large
    # and bf16-dense; ~20% of files and most of the lines mention bf16.
    "libs": {"app": 0.75, "lib_scale": 1.4, "lib_bf16": 7.0, "bf16_len": 3.5, "other_len": 0.4},
}


def repos(profile: str):
    p = PROFILES[profile]
    L, B, app = p["lib_scale"], p["lib_bf16"], p["app"]
    return [
        ("pytorch-image-zoo", [("zoo/models", "model", 95 * app, 0, None), ("zoo/layers", "layers", 70 * app, 0, None),
                               ("zoo/data", "data", 40 * app, 0, None), ("zoo/utils", "util", 35 * app, 0, None),
                               ("zoo", "init", 8 * app, 0, None), ("tests", "test", 30 * app, 0, None),
                               (".", "script", 8 * app, 0.25, "app_safe")], []),
        ("ssl-vit", [("ssl/models", "model", 30 * app, 0, None), ("ssl/data", "data", 25 * app, 0, None),
                     ("ssl/utils", "util", 30 * app, 0.03, "lib"), ("ssl/configs", "config", 60 * app, 0, None),
                     ("ssl/train", "script", 14 * app, 0.1, "app_safe"), ("ssl/eval", "script", 16 * app, 0.05, "app_safe"),
                     ("ssl", "init", 12 * app, 0, None)], [("notebooks", 8, None)]),
        ("torch-examples", [(f"{d}", "script", 18 * app, 0.03, "app_safe") for d in
                            ("mnist", "imagenet", "dcgan", "vae", "super_resolution", "fast_neural_style",
                             "distributed/ddp", "distributed/fsdp", "siamese_network", "vision_transformer")]
         + [("utils", "util", 25 * app, 0, None), ("legacy", "model", 30 * app, 0, None)], [("notebooks", 10, None)]),
        ("segkit", [("configs/_base_/models", "config", 60 * app, 0, None), ("configs/_base_/datasets", "config", 40 * app, 0, None),
                    ("configs/models", "config", 420 * app, 0, None), ("segkit/models/backbones", "model", 45 * app, 0, None),
                    ("segkit/models/decode_heads", "model", 60 * app, 0, None), ("segkit/datasets", "data", 70 * app, 0, None),
                    ("segkit/utils", "util", 45 * app, 0, None), ("segkit/core", "util", 30 * app, 0.02, "lib"),
                    ("tests", "test", 110 * app, 0, None), ("tools", "script", 20 * app, 0, None),
                    ("segkit", "init", 45 * app, 0, None)], []),
        ("detlab", [("detlab/modeling", "model", 170 * app, 0, None), ("detlab/data", "data", 70 * app, 0, None),
                    ("detlab/utils", "util", 70 * app, 0, None), ("detlab/engine", "util", 30 * app, 0.04, "lib"),
                    ("configs", "config", 180 * app, 0, None), ("tests", "test", 130 * app, 0, None),
                    ("tools", "script", 28 * app, 0, None), ("detlab", "init", 55 * app, 0, None),
                    ("projects", "model", 60 * app, 0, None)], [("demo", 6, None)]),
        ("lightning-lite", [("src/lite/core", "lib", 90 * L, 0.06 * B, "lib"), ("src/lite/plugins/precision", "lib", 14 * L, 0.8, "lib_dense"),
                            ("src/lite/utilities", "util", 70 * L, 0.04 * B, "lib"), ("tests", "test", 170 * L, 0.02 * B, "lib"),
                            ("src/lite", "init", 30 * L, 0, None)], []),
        ("diffusion-kit", [("src/dk/models", "model", 110 * L, 0.05 * B, "lib"), ("src/dk/pipelines", "lib", 130 * L, 0.08 * B, "lib"),
                           ("src/dk/schedulers", "lib", 35 * L, 0.03 * B, "lib"), ("src/dk/utils", "lib", 30 * L, 0.5, "lib_dense"),
                           ("examples", "script", 50 * L, 0.12 * B, "lib"), ("tests", "test", 130 * L, 0.02 * B, "lib"),
                           ("src/dk", "init", 30 * L, 0, None)], [("docs/notebooks", 6, None)]),
        ("accel-utils", [("src/accel/utils", "lib", 45 * L, 0.2 * B, "lib_dense"), ("src/accel", "lib", 20 * L, 0.15 * B, "lib"),
                         ("tests", "test", 40 * L, 0.03 * B, "lib"), ("examples", "script", 15 * L, 0.1 * B, "lib")], []),
        ("peft-tuners", [("src/tuners", "lib", 55 * L, 0.12 * B, "lib"), ("src/utils", "lib", 20 * L, 0.15 * B, "lib_dense"),
                         ("tests", "test", 45 * L, 0.02 * B, "lib")], [("examples", 6, None)]),
        ("segment-things", [("st/modeling", "model", 28 * app, 0, None), ("st/utils", "util", 14 * app, 0, None),
                            ("scripts", "script", 10 * app, 0, None)], [("notebooks", 12, None)]),
        ("vision-notebooks", [("helpers", "notebook_py", 30, 0, None)],
         [("course", 160, None), ("kaggle", 120, None), ("experiments", 170, None)]),
    ]


# Planted real bugs and near misses: (repo, subdir, kind, unit, variant) for .py; notebook flavors separately.
PLANTS_PY = [
    ("torch-examples", "vision_transformer", "script", u_feature_extract, "bug"),
    ("ssl-vit", "ssl/eval", "script", u_wrapper_bug, "bug"),
    ("diffusion-kit", "examples", "script", u_weight_dtype_backbone, "bug"),
    ("vision-notebooks", "helpers", "notebook_py", u_feature_extract, "bug"),
    ("detlab", "projects", "model", u_wrapper_bug, "bug"),
    # near misses (must stay quiet, or BFD002 under autocast)
    ("torch-examples", "imagenet", "script", u_feature_extract, "float"),
    ("torch-examples", "siamese_network", "script", u_feature_extract, "model_bf16"),
    ("ssl-vit", "ssl/eval", "script", u_feature_extract, "hf_selfcast"),
    ("ssl-vit", "ssl/eval", "script", u_feature_extract, "normalize"),
    ("segment-things", "scripts", "script", u_feature_extract, "autocast"),
    ("detlab", "projects", "model", u_wrapper_bug, "float"),
    ("detlab", "projects", "model", u_wrapper_bug, "autocast"),
    ("diffusion-kit", "examples", "script", u_weight_dtype_backbone, "model_cast"),
]
PLANTS_NB = [("vision-notebooks", "course", "seed_bug"), ("vision-notebooks", "experiments", "seed_bug"),
             ("segment-things", "notebooks", "seed_bug"),
             ("vision-notebooks", "kaggle", "seed_float"), ("vision-notebooks", "experiments", "seed_float"),
             ("vision-notebooks", "course", "bf16_train"), ("vision-notebooks", "course", "bf16_train")]


# Calibrated so that --scale 1 gives ~4,000 .py files and ~700k lines with the default profile.
PY_CALIBRATION = 1.09


def count_for(base: float, scale: float) -> int:
    n = base * scale
    return max(1, int(round(n))) if base >= 1 else int(round(n))


def file_name(g: Gen, kind: str, used: List[str]) -> str:
    for _ in range(100):
        if kind == "init":
            stem = "__init__"
        elif kind == "test":
            stem = f"test_{g.pick(W_MOD)}_{g.pick(W_NOUN)}"
        elif kind == "config":
            stem = f"{g.pick(W_MOD)}_{g.pick(['r50', 'r101', 'vit-b16', 'swin-t', 'convnext-s', 'mit-b2'])}_{g.pick(['512x512', '769x769', '1x', '3x'])}_{g.pick(['80k', '160k', '40k'])}_{g.pick(W_DATA)}"
        elif kind == "script":
            stem = f"{g.pick(['train', 'main', 'eval', 'finetune', 'run', 'extract', 'benchmark', 'export'])}_{g.pick(W_MOD)}" if g.chance(0.8) else g.pick(["train", "main", "eval_linear", "knn"])
        elif kind == "lib":
            stem = f"{g.pick(['modeling', 'pipeline', 'utils', 'layer', 'model', 'functional', 'import_utils', 'other', 'hooks', 'tuner'])}_{g.pick(W_MOD)}"
        else:
            stem = f"{g.pick(W_MOD)}_{g.pick(W_NOUN)}" if g.chance(0.6) else g.pick(W_MOD)
        if stem not in used:
            used.append(stem)
            return stem
    stem = f"{stem}_{len(used)}"
    used.append(stem)
    return stem


def generate(out: Path, scale: float = 1.0, seed: int = 0, profile: str = "default", quiet: bool = False) -> dict:
    if profile not in PROFILES:
        raise SystemExit(f"unknown profile {profile!r}; choose from {sorted(PROFILES)}")
    out = Path(out)
    if out.exists():
        if any(out.iterdir()) and not (out / MANIFEST).exists():
            raise SystemExit(f"{out} exists, is not empty and has no {MANIFEST}; refusing to overwrite it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    reps = repos(profile)
    # Copies of the repositories at scale > 1 get a suffix (the corpus grows like more repositories, not longer files).
    copies = max(1, int(scale)) if scale >= 1 else 1
    per_copy = scale / copies
    files: List[dict] = []
    planted: List[dict] = []
    for copy in range(copies):
        for repo, dirs, nbs in reps:
            rname = repo if copy == 0 else f"{repo}-{copy + 1}"
            plants = [p for p in PLANTS_PY if p[0] == repo]
            nb_plants = [p for p in PLANTS_NB if p[0] == repo]
            for sub, kind, base, share, mode in dirs:
                n = count_for(base * PY_CALIBRATION, per_copy)
                used: List[str] = []
                dplants = [p for p in plants if p[1] == sub and p[2] == kind]
                for k in range(n + len(dplants)):
                    g = Gen(f"{seed}:{rname}:{sub}:{kind}:{k}")
                    stem = file_name(g, kind, used)
                    plant = None
                    if k >= n:
                        p = dplants[k - n]
                        plant = (p[3], p[4])
                        bf16 = plant
                    else:
                        bf16 = mode if (mode and g.chance(min(share, 1.0))) else None
                    lm = PROFILES[profile]["bf16_len" if bf16 in ("lib", "lib_dense") else "other_len"]
                    text, marks = py_file(g, kind, bf16, 1.0 if plant else lm)
                    if g.chance(0.004):
                        text = text.replace("\n", "\r\n")
                    rel = f"{rname}/{sub}/{stem}.py" if sub != "." else f"{rname}/{stem}.py"
                    rel = os.path.normpath(rel).replace(os.sep, "/")
                    if kind == "init":
                        rel = f"{rname}/{sub}/__init__{'' if k == 0 else '_' + str(k)}.py"
                        if k > 0:
                            rel = f"{rname}/{sub}/sub{k}/__init__.py"
                    files.append({"path": rel, "text": text})
                    for line, label in marks:
                        planted.append({"path": rel, "line": line, "label": label,
                                        "shape": f"{plant[0].__name__}:{plant[1]}" if plant else "?"})
            for sub, base, _ in nbs:
                n = count_for(base, per_copy)
                mine = [p for p in nb_plants if p[1] == sub]
                used = []
                for k in range(n + len(mine)):
                    g = Gen(f"{seed}:{rname}:{sub}:nb:{k}")
                    if k >= n:
                        flavor = mine[k - n][2]
                    else:
                        flavor = _weighted(g, NB_FLAVORS)
                    stem = file_name(g, "notebook", used)
                    stem = f"{k:02d}_{stem}" if g.chance(0.5) else stem
                    text, marks = notebook(g, flavor)
                    rel = f"{rname}/{sub}/{stem}.ipynb"
                    files.append({"path": rel, "text": text})
                    for m in marks:
                        planted.append({"path": rel, "cell": m["cell"], "line": m["line"], "label": m["label"],
                                        "shape": f"notebook:{flavor}"})
    stats = {"py_files": 0, "py_lines": 0, "py_bytes": 0, "notebooks": 0, "nb_cells": 0, "nb_code_lines": 0,
             "nb_bytes": 0, "bf16_files": 0, "bf16_lines": 0, "bf16_and_backbone_files": 0,
             "bf16_notebooks": 0, "bf16_and_backbone_notebooks": 0, "longest_py": 0, "py_over_2000_lines": 0}
    for f in files:
        path = out / f["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        data = f["text"].encode("utf-8")
        with open(path, "wb") as fh:
            fh.write(data)
        if f["path"].endswith(".py"):
            n = f["text"].count("\n")
            stats["py_files"] += 1
            stats["py_lines"] += n
            stats["py_bytes"] += len(data)
            stats["longest_py"] = max(stats["longest_py"], n)
            stats["py_over_2000_lines"] += n > 2000
            if BF16_RE.search(f["text"]):
                stats["bf16_files"] += 1
                stats["bf16_lines"] += n
                if BACKBONE_RE.search(f["text"]):
                    stats["bf16_and_backbone_files"] += 1
        else:
            nb = json.loads(f["text"])
            code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
            stats["notebooks"] += 1
            stats["nb_cells"] += len(nb["cells"])
            stats["nb_code_lines"] += code.count("\n") + 1
            stats["nb_bytes"] += len(data)
            if BF16_RE.search(code):
                stats["bf16_notebooks"] += 1
                if BACKBONE_RE.search(code):
                    stats["bf16_and_backbone_notebooks"] += 1
    manifest = {
        "generator": "benchmarks/make_corpus.py", "generator_version": GENERATOR_VERSION,
        "seed": seed, "scale": scale, "profile": profile, "stats": stats,
        "scans": {"bf16": BF16_RE.pattern, "backbone": BACKBONE_RE.pattern},
        "planted": sorted(planted, key=lambda p: (p["path"], p.get("cell", 0), p["line"])),
        "note": "planted labels are the generator's intent (BFD001 bug; BFD002 under autocast; BFD003 under an "
                "autocast hard-coded to 'cuda' while the device is chosen at run time); "
                "near misses without a label are expected to stay quiet",
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    # Stop config discovery at the corpus root: the enclosing project's [tool.bf16lint] / [tool.ruff]
    # settings must not leak into the benchmark (flake8 and ruff are also run with --isolated).
    (out / "pyproject.toml").write_text(
        "# Written by benchmarks/make_corpus.py: empty tables stop each linter's configuration\n"
        "# discovery here, so every tool runs on this corpus with its defaults.\n"
        "[tool.bf16lint]\n\n[tool.ruff]\n")
    if not quiet:
        print(summary(manifest))
    return manifest


def summary(manifest: dict) -> str:
    s = manifest["stats"]
    pf = max(1, s["py_files"])
    nb = max(1, s["notebooks"])
    bugs = sum(1 for p in manifest["planted"] if p["label"] == "BFD001")
    others = ", ".join(f"{n} {lab}" for lab, n in sorted(
        (lab, sum(1 for p in manifest["planted"] if p["label"] == lab))
        for lab in {p["label"] for p in manifest["planted"]} if lab != "BFD001"))
    return (
        f"corpus: seed={manifest['seed']} scale={manifest['scale']} profile={manifest['profile']}\n"
        f"  .py: {s['py_files']} files, {s['py_lines']} lines, {s['py_bytes'] / 1e6:.1f} MB "
        f"(longest {s['longest_py']} lines, {s['py_over_2000_lines']} over 2,000)\n"
        f"  notebooks: {s['notebooks']} ({s['nb_cells']} cells, {s['nb_code_lines']} code lines, {s['nb_bytes'] / 1e6:.1f} MB)\n"
        f"  bf16 mention: {s['bf16_files']} .py files ({100 * s['bf16_files'] / pf:.1f}%), "
        f"{s['bf16_lines']} lines ({100 * s['bf16_lines'] / max(1, s['py_lines']):.1f}%); "
        f"{s['bf16_notebooks']} notebooks ({100 * s['bf16_notebooks'] / nb:.1f}%)\n"
        f"  bf16 + backbone loader: {s['bf16_and_backbone_files']} .py files ({100 * s['bf16_and_backbone_files'] / pf:.1f}%), "
        f"{s['bf16_and_backbone_notebooks']} notebooks ({100 * s['bf16_and_backbone_notebooks'] / nb:.1f}%)\n"
        f"  planted: {bugs} BFD001 bugs, {others} (autocast sites), plus unlabelled near misses"
    )


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default {DEFAULT_OUT})")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="corpus size factor: 1 = ~4,000 .py files / ~700k lines / ~500 notebooks; "
                         "integers >1 add copies of the repositories; fractions shrink them")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", choices=sorted(PROFILES), default="default",
                    help="default: a few percent of files mention bf16; libs: bf16-dense library mix like PERF.md")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    generate(args.out, args.scale, args.seed, args.profile, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
