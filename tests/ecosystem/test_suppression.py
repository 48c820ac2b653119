"""Suppression: ``# noqa`` on the reported line, ``# bf16lint: noqa`` for a whole file,
and the ``bf16lint-skip`` notebook cell tag; through the CLI, --fix and the library."""
from __future__ import annotations

import json

import pytest
from eco_helpers import BUGGY_SCRIPT, NOTEBOOK_CELLS, write, write_notebook

from bf16lint.engine import file_exemption, lint_source

# Reported lines of BUGGY_SCRIPT: 19 (BFD002) and 23 (BFD001).
LINE_002 = 19
LINE_001 = 23


def with_comment(line_number: int, comment: str, source: str = BUGGY_SCRIPT) -> str:
    lines = source.splitlines(True)
    lines[line_number - 1] = lines[line_number - 1].rstrip("\n") + "  " + comment + "\n"
    return "".join(lines)


def found(cli, path):
    return [(row, code) for _, _, row, _, code in cli(path, "--output-format", "concise").concise()]


# ------------------------------------------------------------------ line-level noqa
@pytest.mark.parametrize(
    "comment,expected",
    [
        ("# noqa", [(LINE_002, "BFD002")]),
        ("# noqa: BFD001", [(LINE_002, "BFD002")]),
        ("#noqa:BFD001", [(LINE_002, "BFD002")]),
        ("# NOQA: bfd001", [(LINE_002, "BFD002")]),
        ("# noqa: BFD", [(LINE_002, "BFD002")]),
        ("# noqa: E501, BFD001", [(LINE_002, "BFD002")]),
        ("# noqa: BFD001 -- cast happens in the model", [(LINE_002, "BFD002")]),
        # INVALID suppressions: another code, or another tool's code, leaves BFD001 in place.
        ("# noqa: BFD002", [(LINE_002, "BFD002"), (LINE_001, "BFD001")]),
        ("# noqa: E501", [(LINE_002, "BFD002"), (LINE_001, "BFD001")]),
        ("# type: ignore", [(LINE_002, "BFD002"), (LINE_001, "BFD001")]),
    ],
)
def test_noqa_on_reported_line(project, cli, comment, expected):
    write(project / "train.py", with_comment(LINE_001, comment))
    assert found(cli, "train.py") == expected


def test_noqa_on_another_line_does_not_suppress(project, cli):
    write(project / "train.py", with_comment(LINE_001 - 1, "# noqa"))
    assert found(cli, "train.py") == [(LINE_002, "BFD002"), (LINE_001, "BFD001")]


def test_noqa_suppressed_finding_is_not_fixed(project, cli):
    path = write(project / "train.py", with_comment(LINE_001, "# noqa: BFD001"))
    run = cli("train.py", "--fix")
    assert run.code == 0
    fixed = path.read_text()
    assert fixed.count('batch["image"] = batch["image"].float()') == 1  # only the BFD002 loop
    assert "# noqa: BFD001" in fixed


def test_noqa_library_api():
    assert [f.code for f in lint_source(with_comment(LINE_002, "# noqa: BFD002"))] == ["BFD001"]


# ------------------------------------------------------------------ file-level
@pytest.mark.parametrize("where", ["top", "bottom", "indented"])
def test_file_level_noqa_skips_the_file(project, cli, where):
    comment = "# bf16lint: noqa"
    if where == "top":
        source = comment + "\n" + BUGGY_SCRIPT
    elif where == "bottom":
        source = BUGGY_SCRIPT + comment + "\n"
    else:
        source = BUGGY_SCRIPT.replace("    for batch in loader:\n", "    " + comment + "\n    for batch in loader:\n", 1)
    path = write(project / "train.py", source)
    run = cli("train.py")
    assert run.code == 0 and "All checks passed" in run.out
    assert cli("train.py", "--fix").code == 0
    assert path.read_text() == source


def test_file_level_noqa_with_codes(project, cli):
    write(project / "train.py", "# bf16lint: noqa: BFD002\n" + BUGGY_SCRIPT)
    assert found(cli, "train.py") == [(LINE_001 + 1, "BFD001")]


@pytest.mark.parametrize(
    "text",
    [
        'x = 1  # bf16lint: noqa',  # trailing: not a file-level comment
        '"# bf16lint: noqa"',  # inside a string
        '# bf16lint: no',
    ],
)
def test_not_a_file_level_exemption(project, cli, text):
    write(project / "train.py", text + "\n" + BUGGY_SCRIPT)
    assert len(found(cli, "train.py")) == 2
    assert file_exemption([text]) == ()


def test_file_exemption_parser():
    assert file_exemption(["# bf16lint: noqa"]) is True
    assert file_exemption(["  #bf16lint:noqa  "]) is True
    assert file_exemption(["# BF16LINT: NOQA"]) is True
    assert file_exemption(["# bf16lint: noqa: BFD001, BFD003"]) == ("BFD001", "BFD003")
    assert file_exemption(["x = 1"]) == ()


def test_file_level_noqa_in_a_notebook_cell(project, cli):
    cells = list(NOTEBOOK_CELLS) + [("code", "# bf16lint: noqa")]
    write_notebook(project / "nb.ipynb", cells)
    assert cli("nb.ipynb").code == 0
    write_notebook(project / "nb.ipynb")
    assert cli("nb.ipynb").code == 1


# ------------------------------------------------------------------ notebook cell tag
def test_cell_tag_skips_findings_in_that_cell(project, cli):
    write_notebook(project / "nb.ipynb")
    rows = cli("nb.ipynb", "--output-format", "concise").concise()
    assert [(cell, row, code) for _, cell, row, _, code in rows] == [(3, 2, "BFD001")]  # INVALID
    write_notebook(project / "nb.ipynb", tags={3: ["bf16lint-skip"]})
    run = cli("nb.ipynb")
    assert run.code == 0 and "All checks passed" in run.out  # VALID once tagged


def test_cell_tag_cell_is_not_fixed(project, cli):
    path = write_notebook(project / "nb.ipynb", tags={3: ["bf16lint-skip", "parameters"]})
    before = path.read_bytes()
    assert cli("nb.ipynb", "--fix").code == 0
    assert path.read_bytes() == before


def test_cell_tag_on_another_cell_changes_nothing(project, cli):
    """The tagged cell's code still counts: the model built in a skipped cell is known."""
    write_notebook(project / "nb.ipynb", tags={2: ["bf16lint-skip"]})
    rows = cli("nb.ipynb", "--output-format", "concise").concise()
    assert [(cell, code) for _, cell, _, _, code in rows] == [(3, "BFD001")]


def test_cell_tag_keeps_context_from_skipped_cell(project, cli):
    """A skipped cell that casts the model to bf16 still makes the later call safe."""
    cells = [
        ("code", "import torch\nimport timm\nmodel = timm.create_model('resnet50', pretrained=True)"),
        ("code", "model = model.to(torch.bfloat16)"),
        ("code", "images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16)\nout = model(images)"),
    ]
    write_notebook(project / "nb.ipynb", cells, tags={2: ["bf16lint-skip"]})
    assert cli("nb.ipynb").code == 0


def test_other_tags_do_not_skip(project, cli):
    write_notebook(project / "nb.ipynb", tags={3: ["skip", "bf16lint", "hide-input"]})
    assert cli("nb.ipynb").code == 1


def test_cell_tag_json_report(project, cli):
    write_notebook(project / "nb.ipynb", tags={3: ["bf16lint-skip"]})
    run = cli("nb.ipynb", "--output-format", "json")
    assert json.loads(run.out) == []
