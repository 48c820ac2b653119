"""Example files, as flake8-bugbear tests them: each `# expect: CODE` comment marks a line
that must be reported with that code; valid_* files must stay quiet."""
from __future__ import annotations

import pathlib
import re

import pytest

from bf16lint.engine import fix_source, lint_source

CASES = sorted((pathlib.Path(__file__).parent / "cases").glob("*.py"))
EXPECT = re.compile(r"#\s*expect:\s*(BFD\d{3})")


def expected(text):
    return sorted(
        (number, match.group(1))
        for number, line in enumerate(text.splitlines(), 1)
        for match in [EXPECT.search(line)]
        if match
    )


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_file(path):
    text = path.read_text()
    found = sorted((f.line, f.code) for f in lint_source(text))
    assert found == expected(text)
    if path.stem.startswith("valid_"):
        assert not found


@pytest.mark.parametrize("path", [p for p in CASES if p.stem.startswith("invalid_")], ids=lambda p: p.stem)
def test_fix_is_idempotent_and_parses(path):
    import ast

    text = path.read_text()
    once = fix_source(text)
    ast.parse(once)
    assert fix_source(once) == once
    # every finding with a safe fix is gone after the fix
    remaining = lint_source(once)
    assert all(f.fix is None or f.fix.applicability != "safe" for f in remaining)
