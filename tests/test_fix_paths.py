"""The lean line-insertion path and the libcst path must agree wherever both apply, and
every fix keeps the author's style (quotes, indentation, comments, line endings)."""
from __future__ import annotations

import pathlib

import pytest

from bf16lint.engine import LintOptions, fix_source, lint_source
from bf16lint.fixes.lines import insert_casts
from bf16lint.fixes.transform import apply

CASES = sorted((pathlib.Path(__file__).parent / "cases").glob("invalid_*.py"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_line_path_matches_libcst_path(path):
    text = path.read_text()
    plans = [(f.fix, 0) for f in lint_source(text) if f.fix is not None and f.fix.kind == "insert_cast"]
    if not plans:
        pytest.skip("no insertion fixes in this file")
    lean = insert_casts(text, plans)
    assert lean is not None
    assert lean == apply(text, plans)


VALID_STYLE = '''import torch\r
\r
model = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')\r
for batch in loader:\r
\tbatch = {k: v.to('cuda') for k, v in batch.items()}  # move\r
\timgs = batch['img'].to(torch.bfloat16)\r
\tmodel(imgs)\r
'''


def test_crlf_tabs_quotes_and_comments_are_kept():
    fixed = fix_source(VALID_STYLE.replace("to(torch.bfloat16)", "to(dtype)").replace(
        "import torch\r\n", "import torch\r\ndtype = torch.bfloat16\r\n"))
    assert "\timgs = imgs.float()\r\n" in fixed
    assert fixed.count("\r\n") == fixed.count("\n")
    assert "# move" in fixed


def test_statements_sharing_a_line_cast_in_place():
    text = (
        "import torch\n"
        "m = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')\n"
        "d = torch.bfloat16\n"
        "x = torch.rand(2).to(d); y = m(x)\n"
    )
    assert [f.fix.kind for f in lint_source(text)] == ["append_float"]
    fixed = fix_source(text)
    assert fixed.endswith("x = torch.rand(2).to(d); y = m(x.float())\n") and lint_source(fixed) == []


# libcst cannot round-trip a backslash-CR continuation that Python parses (found by
# hypothesmith): the finding stands, its fix is skipped with a note, the file is untouched.
LIBCST_UNREPRODUCIBLE = (
    "import torch\n"
    "m = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')\n"
    "x = torch.rand(2).to(torch.bfloat16)\n"
    "y = m(x)\n"
    "try: pass\n\\\r\nfinally:\n pass\n"
)


def test_fix_source_leaves_code_libcst_cannot_reproduce():
    assert fix_source(LIBCST_UNREPRODUCIBLE, LintOptions(unsafe_fixes=True)) == LIBCST_UNREPRODUCIBLE
    assert [f.code for f in lint_source(LIBCST_UNREPRODUCIBLE)] == ["BFD001"]


def test_cli_fix_notes_the_unapplied_fix_and_keeps_the_file(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "snippet.py"
    path.write_bytes(LIBCST_UNREPRODUCIBLE.encode())
    run = subprocess.run(
        [sys.executable, "-m", "bf16lint", "--fix", "--unsafe-fixes", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 1, run.stderr
    assert "fix not applied: libcst cannot reproduce this code" in run.stdout + run.stderr
    assert "BFD001" in run.stdout
    assert path.read_bytes() == LIBCST_UNREPRODUCIBLE.encode()
