"""A backbone call inside another module's helper, method or wrapper is reported at the
linted file's call into it, naming where the tensor became bf16 and where the backbone was
built; its fix edits the linted file only."""
from __future__ import annotations

import textwrap

from bf16lint.documents import load_document
from bf16lint.engine import LintOptions, fix_document, lint_document
from bf16lint.project import forget_indexes

TRAIN = """
import timm
import torch

from utils import embed

model = timm.create_model("vit_small_patch14_dinov2", pretrained=True)
images = torch.rand(2, 3, 224, 224).to(torch.bfloat16)
feats = embed(model, images)
"""


def write(root, files):
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))


def lint(root, name="train.py"):
    forget_indexes()
    path = root / name
    return lint_document(load_document(str(path), path.read_bytes()), LintOptions()).findings


def fixed(root, name="train.py"):
    forget_indexes()
    path = root / name
    _, new, _ = fix_document(load_document(str(path), path.read_bytes()), LintOptions())
    return new.decode() if new is not None else None


def test_helper_function_of_another_module_is_reported_at_the_call_with_both_origins(tmp_path):
    write(tmp_path, {"utils.py": "def embed(model, x):\n    return model(x)\n", "train.py": TRAIN})
    [finding] = lint(tmp_path)
    assert (finding.code, finding.line) == ("BFD001", 8)
    assert "`images` is bfloat16 (line 7: `torch.rand(2, 3, 224, 224).to(torch.bfloat16)`)" in finding.message
    assert "`timm.create_model(...)` inside `embed` (line 6)" in finding.message
    assert lint(tmp_path, "utils.py") == []  # the helper alone holds no bug
    assert "images = images.float()\nfeats = embed(model, images)" in fixed(tmp_path)


def test_a_chain_of_helpers_in_other_modules_reaches_the_first_call_in_the_linted_file(tmp_path):
    write(tmp_path, {
        "utils/__init__.py": "from .embedding import embed\n",
        "utils/embedding.py": "from .forward import run_backbone\n\n\ndef embed(model, x):\n    return run_backbone(model, x)\n",
        "utils/forward.py": "def run_backbone(model, x):\n    x = x.cuda()\n    return model(x)\n",
        "train.py": TRAIN,
    })
    assert [(f.code, f.line) for f in lint(tmp_path)] == [("BFD001", 8)]


def test_tensor_made_bf16_inside_the_helper_names_that_file_and_the_fix_wraps_the_backbone_here(tmp_path):
    write(tmp_path, {
        "utils.py": "import torch\n\n\ndef embed(model, x):\n    x = x.to(torch.bfloat16)\n    return model(x)\n",
        "train.py": TRAIN.replace(".to(torch.bfloat16)", ""),
    })
    [finding] = lint(tmp_path)
    assert finding.line == 8 and "utils.py line 5: `x.to(torch.bfloat16)`)" in finding.message
    # no cast in train.py can reach x: the backbone train.py builds is wrapped instead
    assert finding.fix.kind == "wrap_model"
    assert 'float32_inputs(timm.create_model("vit_small_patch14_dinov2", pretrained=True))' in fixed(tmp_path)


def test_enclosing_autocast_in_the_linted_file_makes_it_bfd002(tmp_path):
    write(tmp_path, {
        "utils.py": "def embed(model, x):\n    return model(x)\n",
        "train.py": TRAIN.replace("feats = embed(model, images)",
                                  'with torch.autocast("cuda", dtype=torch.bfloat16):\n    feats = embed(model, images)'),
    })
    assert [(f.code, f.line) for f in lint(tmp_path)] == [("BFD002", 9)]


def test_an_autocast_inside_the_other_module_is_not_marked_in_the_linted_file(tmp_path):
    # BFD003 belongs at the helper's own autocast, a line of utils.py, never at a line of train.py
    write(tmp_path, {
        "utils.py": 'import torch\n\n\ndef embed(model, x):\n    with torch.autocast("cuda", enabled=False):\n'
                    '        return model(x)\n',
        "train.py": TRAIN,
    })
    found = lint(tmp_path)
    assert [(f.code, f.line) for f in found] == [("BFD001", 8)]
    assert "under the disabled autocast at " in found[0].message and "utils.py line 5;" in found[0].message


def test_method_of_an_object_built_from_another_module(tmp_path):
    write(tmp_path, {
        "engine.py": """
            class Runner:
                def __init__(self, model):
                    self.model = model

                def step(self, x):
                    return self.model(x)
            """,
        "train.py": TRAIN.replace("from utils import embed", "from engine import Runner").replace(
            "feats = embed(model, images)", "feats = Runner(model).step(images)"),
    })
    [finding] = lint(tmp_path)
    assert (finding.line, finding.code) == (8, "BFD001") and "inside `Runner`" in finding.message


def test_single_file_parity_the_helper_in_the_same_file_is_still_reported_inside_it(tmp_path):
    write(tmp_path, {"train.py": TRAIN.replace("from utils import embed\n", "\n\ndef embed(model, x):\n    return model(x)\n")})
    assert [(f.code, f.line) for f in lint(tmp_path)] == [("BFD001", 7)]


def test_a_lightning_step_in_another_module_run_by_trainer_fit_is_reported_at_fit(tmp_path):
    write(tmp_path, {
        "lit_module.py": """
            import lightning as L
            import timm
            import torch


            class LitClassifier(L.LightningModule):
                def __init__(self):
                    super().__init__()
                    self.backbone = timm.create_model("convnext_tiny", pretrained=True)

                def training_step(self, batch, batch_idx):
                    x, y = batch
                    return self.backbone(x).sum()
            """,
        "train.py": """
            import lightning as L
            import torch
            from torch.utils.data import DataLoader, TensorDataset

            from lit_module import LitClassifier

            data = TensorDataset(torch.rand(4, 3, 64, 64).to(torch.bfloat16), torch.zeros(4))
            trainer = L.Trainer(precision="bf16-mixed")
            trainer.fit(LitClassifier(), DataLoader(data, batch_size=2))
            """,
    })
    [finding] = lint(tmp_path)
    assert (finding.code, finding.line) == ("BFD002", 9) and "inside `LitClassifier`" in finding.message


MIXIN = """
import torch


class ModelMixin(torch.nn.Module):
    def to(self, *args, **kwargs):
        if getattr(self, "is_quantized", False) and "dtype" in kwargs:
            raise ValueError("cannot cast a quantized model")
        return super().to(*args, **kwargs)
"""

ENCODER = """
import torch.nn as nn
from torchvision.models import efficientnet_v2_s

from pkg.mixin import ModelMixin


class Encoder(ModelMixin):
    def __init__(self):
        super().__init__()
        self.backbone = efficientnet_v2_s(weights="DEFAULT").features

    def forward(self, x):
        return self.backbone(x)
"""


def test_super_in_a_method_inherited_from_another_module_reaches_nn_module(tmp_path):
    # diffusers' ModelMixin.to checks its arguments, then calls super().to(): the cast
    # reaches the backbone the subclass holds, so its bf16 input matches (quiet), while the
    # same encoder left float32 is reported.
    train = """
    import torch

    from encoder import Encoder

    weight_dtype = torch.bfloat16
    encoder = Encoder()
    encoder.to("cuda", dtype=weight_dtype)
    x = torch.rand(2, 3, 64, 64).to(weight_dtype)
    encoder(x)
    """
    write(tmp_path, {"pkg/__init__.py": "", "pkg/mixin.py": MIXIN, "encoder.py": ENCODER, "train.py": train})
    assert lint(tmp_path) == []
    write(tmp_path, {"train.py": train.replace('encoder.to("cuda", dtype=weight_dtype)', 'encoder.to("cuda")')})
    assert [(f.code, f.line) for f in lint(tmp_path)] == [("BFD001", 9)]
