"""The lean path for the common fix: insert one cast statement next to a statement.

Inserting ``x = x.float()`` needs no tree rewrite: the anchor statement's ast positions
say where its lines end and how it is indented, so the new line is the anchor's own
indentation and line ending around the new statement. libcst (transform.py) still does
every other fix, and this path's output is checked to parse, like everything written.
When a case is not plainly line-shaped (``a; b`` on one line, a body on its header line,
no line ending at the end of the file), it answers None and the libcst path takes over.
"""
from __future__ import annotations

import ast
import re
from typing import Dict, List, Optional, Tuple

from ..findings import FixPlan

_COMMENT_OR_SPACE = re.compile(r"\s*(#.*)?")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def insert_casts(text: str, plans: List[Tuple[FixPlan, int]]) -> Optional[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    lines = _LINES.findall(text)
    statements = _statements_by_start(tree, lines)
    inserts: Dict[int, List[str]] = {}  # 0-based line index -> new lines, in order
    for plan, offset in plans:
        line, col = plan.anchor
        stmt = statements.get((line - offset, col))
        if stmt is None:
            return None
        where = _insertion(stmt, plan.placement, lines)
        if where is None:
            return None
        index, indent, newline = where
        new_line = f"{indent}{plan.target} = {plan.target}.float(){newline}"
        bucket = inserts.setdefault(index, [])
        if new_line not in bucket:
            bucket.append(new_line)
    out = []
    for index, current in enumerate(lines):
        out.extend(inserts.get(index, ()))
        out.append(current)
    out.extend(inserts.get(len(lines), ()))
    return "".join(out)


def _statements_by_start(tree, lines):
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            line_text = lines[node.lineno - 1]
            col = len(line_text.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
            found[(node.lineno, col)] = node
    return found


def _insertion(stmt, placement, lines) -> Optional[Tuple[int, str, str]]:
    """(index of the line to insert before, indentation, line ending), or None."""
    if placement == "after":
        if isinstance(stmt, (ast.For, ast.While, ast.If, ast.With, ast.Try, ast.FunctionDef, ast.ClassDef)):
            return None
        return _after(stmt, lines)
    if placement == "before":
        return _before(stmt, lines)
    body = getattr(stmt, "body", None)
    if not body:
        return None
    first = body[0]
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_docstring(first):
        if len(body) == 1:
            where = _after(first, lines)
            return None if where is None else (where[0], _indent(lines[first.lineno - 1]), where[2])
        first = body[1]
    header_end = first.lineno - 1
    if first.lineno <= stmt.lineno:
        return None  # `for x in y: f(x)`: the body shares the header line
    return _before(first, lines) if header_end >= 0 else None


def _after(stmt, lines):
    last = lines[stmt.end_lineno - 1]
    tail = last.encode("utf-8")[stmt.end_col_offset:].decode("utf-8", "replace").rstrip("\r\n")
    if not _COMMENT_OR_SPACE.fullmatch(tail):
        return None  # `x = x.to(d); y = model(x)`: not line-shaped
    newline = last[len(last.rstrip("\r\n")):]
    if not newline:
        return None
    return stmt.end_lineno, _indent(lines[stmt.lineno - 1]), newline


def _before(stmt, lines):
    first = lines[stmt.lineno - 1]
    head = first.encode("utf-8")[: stmt.col_offset].decode("utf-8", "replace")
    if head.strip():
        return None  # another statement precedes it on the line
    newline = first[len(first.rstrip("\r\n")):] or None
    if newline is None:
        return None
    return stmt.lineno - 1, _without_form_feed(head), newline


def _indent(line: str) -> str:
    indent = line[: len(line) - len(line.lstrip(" \t\f"))]
    return _without_form_feed(indent)


def _without_form_feed(indent: str) -> str:
    # Python's indentation count restarts after a form feed; a new line must not copy one.
    return indent.rsplit("\f", 1)[-1]


def _is_docstring(stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
