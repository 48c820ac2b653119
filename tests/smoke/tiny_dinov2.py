"""The smoke test's tiny DINOv2 is the oracle's (oracle/standins/_bf16_oracle/dinov2.py): a
self-written random-init DINOv2-shaped ViT with a patch-embed Conv2d WITH bias. It is loaded
by file path, so the oracle's stand-in folder never goes on this process's sys.path."""
from __future__ import annotations

import importlib.util
import pathlib
import sys

_PATH = pathlib.Path(__file__).resolve().parents[2] / "oracle" / "standins" / "_bf16_oracle" / "dinov2.py"
_NAME = "bf16lint_smoke_tiny_dinov2"

if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_NAME, _PATH)
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[_NAME] = _module  # dataclass/pickle lookups find it by name
    _spec.loader.exec_module(_module)
_module = sys.modules[_NAME]

DINOV2_HUB_REPO = _module.DINOV2_HUB_REPO
DINOV2_ENTRIES = _module.DINOV2_ENTRIES
TinyDinoVisionTransformer = _module.TinyDinoVisionTransformer
tiny_dinov2 = _module.tiny_dinov2
fake_hub_load = _module.fake_hub_load
