"""Turn fix plans into new source text with libcst: minimal, exact, style-keeping.

libcst keeps every byte it is not told to change (comments, quotes, blank lines, line
endings), so a fix is a small tree edit: insert one statement, rename one attribute,
wrap one expression. The most common fix, inserting a cast next to a plainly
line-shaped statement, takes a lean path (lines.py) that needs no libcst at all; libcst
is imported only for the other fixes, and only for files that have them.
"""
from __future__ import annotations

from typing import Iterable, Tuple

from ..findings import FixPlan


class FixError(Exception):
    """A fix could not be applied (its anchor vanished, or the result did not parse)."""


class FixUnavailable(FixError):
    """Valid Python that libcst cannot edit byte for byte (a backslash-CR continuation, a
    form feed before a statement): the finding stands, its fix is not applied. Not a bug
    of ours, so not an internal error."""


def apply_plans(text: str, plans: Iterable[Tuple[FixPlan, int]]) -> str:
    """Apply plans (each with the line offset that maps its virtual lines to this text's
    lines) to one unit of source text and return the new text."""
    plans = list(plans)
    if plans and all(plan.kind == "insert_cast" for plan, _ in plans):
        from .lines import insert_casts

        new_text = insert_casts(text, plans)
        if new_text is not None:
            _check_parses(new_text)
            return new_text
    from .transform import apply

    return apply(text, plans)


def _check_parses(text: str) -> None:
    import ast

    try:
        ast.parse(text)
    except SyntaxError as error:  # never write code that does not parse
        raise FixError(f"the fixed code does not parse ({error.msg})") from None
