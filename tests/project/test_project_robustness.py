"""Project shapes that once crashed the linter (RecursionError, AttributeError): each is
linted in process and must give the findings Python's own semantics imply, never an error.

Import cycles over names: `from . import sub` inside a package's __init__ (the package's
own binding is not made yet, so Python imports the submodule), a re-export that comes back
to the package, two modules importing a name from each other. A cycle yields an unknown
value, as a partially initialised module would, and the rest of the file is analysed."""
from __future__ import annotations

import textwrap

import pytest

from bf16lint.analysis.knowledge import DEFAULT_KNOWLEDGE
from bf16lint.documents import load_document
from bf16lint.engine import LintOptions, lint_document
from bf16lint.project import forget_indexes


@pytest.fixture(autouse=True)
def fresh_indexes():
    forget_indexes()
    yield
    forget_indexes()


# A file's own certain crash: what must still be reported whatever its imports do.
OWN_BUG = """\
import torch
backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.zeros(1, 3, 224, 224).to(torch.bfloat16)
backbone(images)
"""


def write(root, files):
    (root / "pyproject.toml").write_text("")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def lint(path, knowledge=DEFAULT_KNOWLEDGE):
    """(line, code) of every finding; any exception propagates and fails the test."""
    result = lint_document(load_document(str(path)), LintOptions(knowledge=knowledge))
    assert result.error is None
    return sorted((f.line, f.code) for f in result.findings)


def test_from_dot_import_submodule_in_a_package_init(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": """
            import torch
            from . import sub
            build = sub.build
            images = torch.zeros(1, 3, 224, 224).to(torch.bfloat16)
            build()(images)
        """,
        "pkg/sub.py": """
            import torch
            def build():
                helper  # read when called: the cycle pkg -> pkg.models -> pkg
                return torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        """,
        "main.py": """
            import torch
            from pkg import build
            images = torch.zeros(1, 3, 224, 224).to(torch.bfloat16)
            build()(images)
        """,
    })
    assert lint(tmp_path / "pkg" / "__init__.py") == [(5, "BFD001")]
    assert lint(tmp_path / "main.py") == [(4, "BFD001")]


def test_package_importing_its_own_submodule_by_absolute_name(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "from pkg import sub\nbuild = sub.build\n" + OWN_BUG,
        "pkg/sub.py": "def build():\n    return None\n",
    })
    assert lint(tmp_path / "pkg" / "__init__.py") == [(6, "BFD001")]


def test_re_export_cycle_through_a_package_init(tmp_path):
    # pkg re-exports f from pkg.a, and pkg.a takes f from pkg: nobody defines it.
    write(tmp_path, {
        "pkg/__init__.py": "from .a import f\n" + OWN_BUG,
        "pkg/a.py": "from pkg import f\n" + OWN_BUG,
        "main.py": "from pkg import f\n" + OWN_BUG + "f(images)\n",
    })
    for name in ("main.py", "pkg/__init__.py", "pkg/a.py"):
        assert lint(tmp_path / name) == [(5, "BFD001")], name


@pytest.mark.parametrize("first", ["a.py", "b.py", "main.py"])
def test_two_modules_importing_a_name_from_each_other(tmp_path, first):
    write(tmp_path, {
        "a.py": "from b import x\n" + OWN_BUG,
        "b.py": "from a import x\n" + OWN_BUG,
        "main.py": "from a import x\n" + OWN_BUG + "x(images)\n",
    })
    assert lint(tmp_path / first) == [(5, "BFD001")]


def test_a_cycle_does_not_hide_a_name_defined_further_on(tmp_path):
    # pkg.__init__ takes `build` from pkg.models, which takes a helper from pkg itself
    # (a name pkg binds through the submodule): the cycle is only in the helper's name.
    write(tmp_path, {
        "pkg/__init__.py": "from .models import build, helper\n",
        "pkg/models.py": """
            import torch
            from pkg import helper
            def build():
                helper  # read when called: the cycle pkg -> pkg.models -> pkg
                return torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        """,
        "main.py": """
            import torch
            from pkg import build
            images = torch.zeros(1, 3, 224, 224).to(torch.bfloat16)
            build()(images)
        """,
    })
    assert lint(tmp_path / "main.py") == [(4, "BFD001")]


def test_dataclass_default_factory_naming_a_library_callable(tmp_path):
    write(tmp_path, {"train.py": """
        import collections
        from dataclasses import dataclass, field
        import torch

        @dataclass
        class Config:
            names: frozenset = field(default_factory=frozenset)
            counts: dict = field(default_factory=collections.OrderedDict)

        config = Config()
        backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        images = torch.zeros(1, 3, 224, 224).to(torch.bfloat16)
        backbone(images)
    """})
    assert lint(tmp_path / "train.py") == [(13, "BFD001")]


def test_dataclass_default_factory_that_builds_a_backbone_names_the_factory_line(tmp_path):
    write(tmp_path, {"train.py": """
        from dataclasses import dataclass, field
        import torch
        import zoo

        @dataclass
        class Config:
            backbone: object = field(
                default_factory=zoo.make_backbone)

        config = Config()
        images = torch.zeros(1, 3, 224, 224).to(torch.bfloat16)
        config.backbone(images)
    """})
    knowledge = DEFAULT_KNOWLEDGE.extended(backbones=["zoo.make_backbone"])
    result = lint_document(load_document(str(tmp_path / "train.py")), LintOptions(knowledge=knowledge))
    assert [(f.line, f.code) for f in result.findings] == [(12, "BFD001")]
    assert "`zoo.make_backbone(...)`" in result.findings[0].message
    assert "line 8" in result.findings[0].message
    assert result.findings[0].wrap_fix is None  # no call in the file to wrap
