"""Config files a project reads (yaml.safe_load / json.load of a file it names): their
values decide the switches the code tests, as argparse defaults do."""
from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bf16lint.documents import load_document
from bf16lint.engine import LintOptions, lint_document
from bf16lint.project import forget_indexes
from bf16lint.project.configfiles import parse_yaml

DOCUMENTS = [
    "precision: bf16\namp: true\n",
    "model:\n  name: ViT-B-32  # the CLIP tower\n  pretrained: laion2b_s34b_b79k\ndata:\n  batch_size: 2\n  size: 224\n",
    "lr: 1.0e-4\nwd: 0.05\nsteps: 1_000\nwarmup: .5\nlabel: '1e-4'\nplain: 1e-4\n",
    "flags: [a, 1, true, null]\nmeans: {r: 0.485, g: 0.456}\n",
    "layers:\n- 64\n- 128\nheads:\n  - name: cls\n    classes: 10\n  - name: seg\n    classes: 21\n",
    "---\n# a comment line\nenabled: yes\ndisabled: Off\nnothing: ~\nempty:\nquoted: \"bf16\"\nsingle: 'it''s'\n",
    "url: http://example.org/a#frag\nkey with spaces: a value\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_block_subset_reads_as_pyyaml_reads_it(text):
    yaml = pytest.importorskip("yaml")
    assert parse_yaml(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "base: &base {lr: 1}\nrun: *base\n",  # anchors and aliases
    "script: |\n  python train.py\n",  # block scalars
    "tag: !!python/name:torch.bfloat16\n",
    "a: 1\n  b: 2\n",  # broken indentation
    "a:b\n",
    "key: value with: colon\n",
])
def test_anything_else_is_refused_so_the_file_says_nothing(text):
    with pytest.raises(ValueError):
        parse_yaml(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \n-:#[]{},'\"&*|>~ab01.eE_", max_size=60))
def test_any_text_is_read_or_refused_with_value_error(text):
    try:
        parse_yaml(text)
    except ValueError:
        pass


TRAIN = """
import timm
import torch
import yaml

from utils.config import load_config

cfg = load_config()
model = timm.create_model("convnext_tiny", pretrained=True).cuda()
images = torch.rand(2, 3, 224, 224).cuda()
if cfg["train"]["precision"] == "bf16":
    images = images.to(torch.bfloat16)
logits = model(images)
"""
LOAD_CONFIG = """
import yaml


def load_config(path="configs/train.yaml"):
    with open(path) as handle:
        return yaml.safe_load(handle)
"""


def lint(root, name="train.py"):
    forget_indexes()
    path = root / name
    return [(f.code, f.line) for f in lint_document(load_document(str(path), path.read_bytes()), LintOptions()).findings]


def project(tmp_path, config_name, config_text, train=TRAIN, loader=LOAD_CONFIG):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "__init__.py").write_text("")
    (tmp_path / "utils" / "config.py").write_text(textwrap.dedent(loader))
    (tmp_path / "configs").mkdir(exist_ok=True)
    (tmp_path / "configs" / config_name).write_text(config_text)
    (tmp_path / "train.py").write_text(textwrap.dedent(train))
    return tmp_path


def test_a_yaml_file_read_through_a_helper_of_another_module_decides_the_switch(tmp_path):
    root = project(tmp_path, "train.yaml", "train:\n  precision: fp32\n")
    assert lint(root) == []
    (root / "configs" / "train.yaml").write_text("train:\n  precision: bf16\n")
    assert lint(root) == [("BFD001", 13)]


def test_json_through_path_open(tmp_path):
    loader = """
    import json
    from pathlib import Path


    def load_config(path="configs/train.json"):
        with Path(path).open() as handle:
            return json.load(handle)
    """
    root = project(tmp_path, "train.json", json.dumps({"train": {"precision": "fp32"}}), loader=loader)
    assert lint(root) == []


def test_a_missing_or_unreadable_file_leaves_the_switch_undecided(tmp_path):
    root = project(tmp_path, "other.yaml", "train:\n  precision: fp32\n")  # configs/train.yaml is missing
    assert lint(root) == [("BFD001", 13)]
    (root / "configs" / "train.yaml").write_text("train: &t\n  precision: fp32\n")  # outside the subset
    assert lint(root) == [("BFD001", 13)]


def test_a_file_outside_the_project_is_never_read(tmp_path):
    inner = tmp_path / "proj"
    inner.mkdir()
    (tmp_path / "train.yaml").write_text("train:\n  precision: fp32\n")
    root = project(inner, "unused.yaml", "", loader=LOAD_CONFIG.replace("configs/train.yaml", "../train.yaml"))
    assert lint(root) == [("BFD001", 13)]
