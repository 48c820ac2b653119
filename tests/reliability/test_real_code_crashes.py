"""Crashes met on real code, through the real command line: each shape is the reduction of
a file that once ended in `internal error` or `RecursionError` (this repository's own
packages first), linted as a user would, with every finding it must still give.

The project-mode halves (a package's __init__ importing its submodules, re-export cycles)
are unit-tested in tests/project/test_project_robustness.py; here the whole pipeline runs,
fix and diff included, so a crash anywhere between the CLI and the report shows up."""
from __future__ import annotations

import textwrap

import pytest
from reliability_helpers import REPO

NOT_CHECKED = ("could not be checked", "internal error", "RecursionError")


def write(root, files):
    (root / "pyproject.toml").write_text("")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))


def assert_checked(run):
    assert not any(word in run.text for word in NOT_CHECKED), run.text


# src/bf16lint/rules/__init__.py: `from . import bfd001, bfd002` in a package's __init__,
# with the bug in the package itself; the loop in a script importing the package.
PACKAGE_IMPORTING_ITS_SUBMODULES = {
    "pkg/__init__.py": """
        import torch
        from . import models, data
        from .models import build

        def evaluate(paths):
            model = models.build()
            for images in data.batches(paths):
                model(images)
    """,
    "pkg/models.py": """
        import torch
        from . import data  # a sibling imported through the package being initialised

        def build():
            return torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
    """,
    "pkg/data.py": """
        import torch

        def batches(paths):
            for path in paths:
                yield torch.load(path).cuda().to(torch.bfloat16)
    """,
    "run.py": """
        from pkg import build, data

        model = build()
        for images in data.batches(["a.pt"]):
            model(images)
    """,
}


def test_package_importing_its_own_submodules(tree, cli):
    write(tree, PACKAGE_IMPORTING_ITS_SUBMODULES)
    run = cli("--output-format", "concise", ".")
    assert_checked(run)
    assert run.code == 1
    reported = sorted(line.split(": ")[0] + " " + line.split(": ")[1][:6] for line in run.out.splitlines()
                      if " BFD" in line)
    assert reported == ["pkg/__init__.py:8:9 BFD001", "run.py:5:5 BFD001"]


def test_package_importing_its_own_submodules_fix_diff(tree, cli):
    write(tree, PACKAGE_IMPORTING_ITS_SUBMODULES)
    run = cli("--output-format", "concise", "--fix", "--diff", ".")
    assert_checked(run)
    assert "+        images = images.float()" in run.out  # pkg/__init__.py's loop
    assert "+    images = images.float()" in run.out  # run.py's loop


@pytest.mark.parametrize("cycle", [
    {"a.py": "from b import helper\n", "b.py": "from a import helper\n"},
    {"pkg/__init__.py": "from .a import helper\n", "pkg/a.py": "from pkg import helper\n"},
    {"pkg/__init__.py": "from pkg import helper\n"},
], ids=["two-modules", "re-export", "self"])
def test_import_cycles_over_a_name_nobody_defines(tree, cli, cycle):
    module = "pkg" if "pkg/__init__.py" in cycle else "a"
    write(tree, {**cycle, "train.py": f"""
        import torch
        from {module} import helper

        backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        images = torch.zeros(1, 3, 224, 224).to(torch.bfloat16)
        helper(images)
        backbone(images)
    """})
    run = cli("--output-format", "concise", ".")
    assert_checked(run)
    assert [line.split(" ")[0] for line in run.out.splitlines() if " BFD" in line] == ["train.py:7:1:"]


# src/bf16lint/analysis/__init__.py (through engine.LintOptions): a dataclass whose field
# is `field(default_factory=<library callable>)`, instantiated with no arguments.
def test_dataclass_field_with_a_library_default_factory(tree, cli):
    write(tree, {"train.py": """
        import collections
        from dataclasses import dataclass, field

        import torch


        @dataclass
        class Options:
            keys: frozenset = field(default_factory=frozenset)
            seen: dict = field(default_factory=collections.OrderedDict)
            device: object = field(default_factory=torch.device)


        options = Options()
        backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        images = torch.zeros(1, 3, 224, 224).to(torch.bfloat16)
        backbone(images)
    """})
    run = cli("--output-format", "concise", "train.py")
    assert_checked(run)
    assert [line.split(" ")[0:2] for line in run.out.splitlines() if " BFD" in line] == [["train.py:17:1:", "BFD001"]]


def test_this_repository_lints_without_a_file_left_unchecked(cli, monkeypatch):
    # The tree where both crashes were first met (rules/__init__.py, analysis/__init__.py).
    monkeypatch.chdir(REPO)
    run = cli("--output-format", "concise", "--exit-zero", "src")
    assert run.code == 0
    assert_checked(run)
