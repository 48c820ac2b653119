"""Facts, no opinions: where bf16 tensors meet float32 backbones, and under what autocast."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, List

from .knowledge import DEFAULT_KNOWLEDGE, Knowledge

if TYPE_CHECKING:
    from .interpreter import Hit

__all__ = ["Hit", "Knowledge", "DEFAULT_KNOWLEDGE", "find_hits"]


def __getattr__(name: str):
    # The interpreter is imported on first use: a run whose files all fail the byte
    # prefilter (most pre-commit runs) needs only the knowledge tables.
    if name in ("Hit", "Interpreter"):
        from . import interpreter

        return getattr(interpreter, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def find_hits(tree: ast.Module, lines: List[str], knowledge: Knowledge = DEFAULT_KNOWLEDGE,
              resolver=None) -> List[Hit]:
    """Run the abstract interpreter over a parsed module (a script, or a notebook's cells
    laid end to end) and return every bf16-into-fp32-backbone call it saw. A resolver
    (bf16lint.project) lets imports of the user's own modules be followed."""
    from .interpreter import Interpreter

    hits = Interpreter(tree, lines, knowledge, resolver).run()
    if resolver is not None:  # a call inside another module is reported when that module is linted
        hits = [hit for hit in hits if resolver.owns(hit.call)]
    return hits
