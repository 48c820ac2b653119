"""Syntax helpers the interpreter needs: parents, statement lists, source text."""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Tuple

STMT_LIST_FIELDS = ("body", "orelse", "finalbody", "handlers")


class SourceMap:
    """Byte-offset (ast) to character-offset conversion and exact source segments."""

    def __init__(self, lines: List[str]):
        self.lines = lines  # virtual source lines, without line endings
        self._ascii = [line.isascii() for line in lines]

    def char_col(self, line: int, byte_col: int) -> int:
        if line < 1 or line > len(self.lines) or self._ascii[line - 1]:
            return byte_col
        return len(self.lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def segment(self, node: ast.AST) -> str:
        try:
            start, end = node.lineno, node.end_lineno
            first = self.lines[start - 1].encode("utf-8")
            if start == end:
                return first[node.col_offset : node.end_col_offset].decode("utf-8", "replace")
            parts = [first[node.col_offset :].decode("utf-8", "replace")]
            parts.extend(self.lines[start : end - 1])
            parts.append(self.lines[end - 1].encode("utf-8")[: node.end_col_offset].decode("utf-8", "replace"))
            return "\n".join(parts)
        except (AttributeError, IndexError, TypeError):
            return ast.unparse(node) if hasattr(ast, "unparse") else "<expr>"


class Parents:
    """Parent links, built as they are needed: statement links on first use (a cheap walk
    of statement lists), expression links only for the statements that ask (`expand`).
    Most modules report nothing and never pay for a walk of every expression."""

    def __init__(self, tree: ast.AST):
        self._tree = tree
        self._parent: Optional[Dict[ast.AST, ast.AST]] = None
        self._expanded = set()
        self._position: Dict[int, Tuple[ast.AST, list, int]] = {}  # id(stmt) -> where it sits

    @property
    def parent(self) -> Dict[ast.AST, ast.AST]:
        if self._parent is None:
            self._parent = {}
            self._link_statements(self._tree)
        return self._parent

    def _link_statements(self, owner) -> None:
        for name in STMT_LIST_FIELDS + ("cases",):
            for child in getattr(owner, name, None) or ():
                self._parent[child] = owner
                self._link_statements(child)

    def expand(self, stmt: ast.AST) -> None:
        """Link the expressions of one statement's own header (not its nested body)."""
        if stmt is None or stmt in self._expanded:
            return
        self._expanded.add(stmt)
        parent = self.parent
        for name, value in ast.iter_fields(stmt):
            if name in STMT_LIST_FIELDS or name == "cases":
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST) and not isinstance(child, ast.stmt):
                    parent[child] = stmt
                    for node in ast.walk(child):
                        for grandchild in ast.iter_child_nodes(node):
                            parent[grandchild] = node

    def expand_all(self, root: ast.AST) -> None:
        """Every link under root (for the rare checks that scan a whole function), in one
        walk: linking each statement's header apart would walk every expression twice."""
        parent, expanded, stmt = self.parent, self._expanded, ast.stmt
        for node in ast.walk(root):
            if isinstance(node, stmt):
                expanded.add(node)
            for child in ast.iter_child_nodes(node):
                parent[child] = node

    def enclosing_stmt(self, node: ast.AST) -> Optional[ast.stmt]:
        while node is not None and not isinstance(node, ast.stmt):
            node = self.parent.get(node)
        return node

    def containing_list(self, stmt: ast.stmt) -> Optional[Tuple[ast.AST, list, int]]:
        found = self._position.get(id(stmt))
        if found is not None and found[1][found[2]] is stmt:
            return found
        parent = self.parent.get(stmt)
        if parent is None:
            return None
        for field in STMT_LIST_FIELDS:
            seq = getattr(parent, field, None)
            if isinstance(seq, list):
                # index the whole list at once: the next question about it costs nothing
                for index, item in enumerate(seq):
                    self._position[id(item)] = (parent, seq, index)
                found = self._position.get(id(stmt))
                if found is not None and found[1] is seq:
                    return found
        return None

    def is_inside(self, node: ast.AST, ancestor: ast.AST) -> bool:
        while node is not None:
            if node is ancestor:
                return True
            node = self.parent.get(node)
        return False

    def precedes_in_block(self, anchor: ast.stmt, stmt: ast.stmt) -> bool:
        """True when `anchor` sits in a statement list that also holds `stmt` or one of
        its ancestors, before it: code inserted right after `anchor` then runs before
        `stmt` on every path."""
        where = self.containing_list(anchor)
        if where is None:
            return False
        _, seq, anchor_index = where
        node = stmt
        while node is not None:
            position = self.containing_list(node) if isinstance(node, ast.stmt) else None
            if position is not None and position[1] is seq:
                return position[2] > anchor_index
            node = self.parent.get(node)
        return False


def function_defs(stmts, in_class=None):
    """Every (function, enclosing class or None) and class in statement lists, without
    visiting expressions (a def cannot hide inside one; lambdas are not wanted)."""
    for stmt in stmts:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield stmt, in_class
            yield from function_defs(stmt.body, None)
        elif isinstance(stmt, ast.ClassDef):
            yield stmt, None
            yield from function_defs(stmt.body, stmt)
        else:
            for name in STMT_LIST_FIELDS:
                block = getattr(stmt, name, None)
                if isinstance(block, list):
                    if name == "handlers":
                        for handler in block:
                            yield from function_defs(handler.body, in_class)
                    else:
                        yield from function_defs(block, in_class)
            for case in getattr(stmt, "cases", ()) or ():
                yield from function_defs(case.body, in_class)


def dotted_name(node) -> Optional[str]:
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None
