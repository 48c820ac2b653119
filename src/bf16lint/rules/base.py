"""A rule is data plus examples: code, name, severity, the doc page, VALID/INVALID code.

The analysis produces findings already tagged with a rule code; a Rule object is what
the docs, the reports and the tests know about that code. Its examples run as tests
(tests/test_rule_examples.py) and render as the doc page (``bf16lint rule BFD001``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple


@dataclass(frozen=True)
class Example:
    code: str
    # For INVALID examples: the 1-based line the finding is reported on.
    line: int = 0
    # For INVALID examples with a fix: the expected source after --fix (and unsafe flag).
    fixed: str = ""
    unsafe: bool = False
    # Other findings the same code must give, as (code, line): a BFD003 autocast comes
    # with the BFD001 at the call it fails to protect.
    also: Tuple[Tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str  # "error" | "warning"
    summary: str
    what_it_does: str
    why_bad: str
    example: str
    use_instead: str
    fix_safety: str
    references: Tuple[str, ...] = ()
    valid: Tuple[Example, ...] = ()
    invalid: Tuple[Example, ...] = ()

    def doc_markdown(self) -> str:
        refs = "\n".join(f"- {r}" for r in self.references)
        return (
            f'<a id="{self.code.lower()}"></a>\n\n'
            f"# {self.code}: {self.name}\n\n"
            f"{self.summary[0].upper()}{self.summary[1:]}. Severity: {self.severity}.\n\n"
            f"## What it does\n{self.what_it_does}\n\n"
            f"## Why is this bad?\n{self.why_bad}\n\n"
            f"## Example\n```python\n{self.example.strip()}\n```\n\n"
            f"## Use instead\n```python\n{self.use_instead.strip()}\n```\n\n"
            f"## Fix safety\n{self.fix_safety}\n\n"
            f"## References\n{refs}\n"
        )
