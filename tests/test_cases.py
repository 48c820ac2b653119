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


GAPS = sorted((pathlib.Path(__file__).parent / "cases" / "known_gaps").glob("*.py"))


@pytest.mark.parametrize("path", GAPS, ids=lambda p: p.stem)
@pytest.mark.xfail(strict=True, reason="known gap: the analysis does not follow this shape yet")
def test_known_gap(path):
    """Shapes the linter still misses (documented in the README). Strict: when one starts
    passing, move it out of known_gaps/ so it is guarded for good."""
    text = path.read_text()
    assert sorted((f.line, f.code) for f in lint_source(text)) == expected(text)
