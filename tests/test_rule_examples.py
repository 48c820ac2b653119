"""Each rule carries its VALID/INVALID examples (as Fixit's rules do); they run here and
render as the rule's doc page."""
from __future__ import annotations

import pathlib

import pytest

from bf16lint.engine import LintOptions, fix_source, lint_source
from bf16lint.rules import RULES

VALID = [(code, i, ex) for code, rule in RULES.items() for i, ex in enumerate(rule.valid)]
INVALID = [(code, i, ex) for code, rule in RULES.items() for i, ex in enumerate(rule.invalid)]


@pytest.mark.parametrize("code,index,example", VALID, ids=lambda v: str(v) if not hasattr(v, "code") else "")
def test_valid_examples_stay_quiet(code, index, example):
    assert lint_source(example.code) == []


@pytest.mark.parametrize("code,index,example", INVALID, ids=lambda v: str(v) if not hasattr(v, "code") else "")
def test_invalid_examples_are_reported(code, index, example):
    findings = lint_source(example.code)
    assert sorted((f.code, f.line) for f in findings) == sorted([(code, example.line), *example.also])
    if example.fixed:
        options = LintOptions(unsafe_fixes=example.unsafe)
        assert fix_source(example.code, options) == example.fixed


def test_codes_are_distinct_and_documented():
    assert len(RULES) == len({r.code for r in RULES.values()}) == len({r.name for r in RULES.values()})
    for rule in RULES.values():
        page = rule.doc_markdown()
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead",
                        "## Fix safety", "## References"):
            assert section in page
        assert "should be the same" in rule.why_bad  # the real error is quoted
        assert rule.valid and rule.invalid


def test_docs_page_is_generated_from_the_rules():
    page = (pathlib.Path(__file__).parent.parent / "docs" / "rules.md").read_text()
    assert page.strip() == "\n\n".join(r.doc_markdown() for r in RULES.values()).strip()
