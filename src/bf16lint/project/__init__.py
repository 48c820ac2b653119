"""Project mode: a user's project is one program. The file being linted is analysed with
the modules it imports as context (index.py finds them, summaries.py says what importing
them binds, prefilter.py decides whether a file is worth analysing at all); findings are
reported only in the files being linted, naming other files' lines where the flow began."""
from __future__ import annotations

from typing import Callable, Optional

from .index import LINE_SPAN, ProjectIndex, common_root, find_root, forget_indexes, index_for
from .prefilter import closure_has_evidence
from .summaries import ImportResolver

__all__ = [
    "LINE_SPAN", "ProjectIndex", "ImportResolver", "closure_has_evidence", "common_root", "find_root",
    "forget_indexes", "index_for", "resolver_for", "line_namer",
]


def resolver_for(path: str, tree, knowledge, fallback_root: Optional[str] = None) -> Optional[ImportResolver]:
    """The import resolver for one file being linted (None for code without a file)."""
    if not path or path == "-":
        return None
    return ImportResolver(index_for(path, fallback_root), path, tree, knowledge)


def line_namer(resolver: Optional[ImportResolver], where: Callable[[int], str]) -> Callable[[int], str]:
    """`where` for this file's lines; `models/backbone.py line 12` for another module's."""
    if resolver is None:
        return where
    index = resolver.index

    def name(line: int) -> str:
        return index.name_line(line) if line >= LINE_SPAN else where(line)

    return name
