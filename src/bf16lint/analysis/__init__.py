"""Facts, no opinions: where bf16 tensors meet float32 backbones, and under what autocast."""
from __future__ import annotations

import ast
from typing import List

from .interpreter import Hit, Interpreter
from .knowledge import DEFAULT_KNOWLEDGE, Knowledge

__all__ = ["Hit", "Knowledge", "DEFAULT_KNOWLEDGE", "find_hits"]


def find_hits(tree: ast.Module, lines: List[str], knowledge: Knowledge = DEFAULT_KNOWLEDGE,
              resolver=None) -> List[Hit]:
    """Run the abstract interpreter over a parsed module (a script, or a notebook's cells
    laid end to end) and return every bf16-into-fp32-backbone call it saw. A resolver
    (bf16lint.project) lets imports of the user's own modules be followed."""
    hits = Interpreter(tree, lines, knowledge, resolver).run()
    if resolver is not None:  # a call inside another module is reported when that module is linted
        hits = [hit for hit in hits if resolver.owns(hit.call)]
    return hits
