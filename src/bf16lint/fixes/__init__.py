"""Turn fix plans into new source text with libcst: minimal, exact, style-keeping.

libcst keeps every byte it is not told to change (comments, quotes, blank lines, line
endings), so a fix is a small tree edit: insert one statement, rename one attribute,
wrap one expression. libcst is imported only here, and only for files with findings.
"""
from __future__ import annotations

from typing import Iterable, Tuple

from ..findings import FixPlan


class FixError(Exception):
    """A fix could not be applied (its anchor vanished, or the result did not parse)."""


def apply_plans(text: str, plans: Iterable[Tuple[FixPlan, int]]) -> str:
    """Apply plans (each with the line offset that maps its virtual lines to this text's
    lines) to one unit of source text and return the new text."""
    from .transform import apply

    return apply(text, plans)
