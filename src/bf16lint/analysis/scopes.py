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
    """Parent links for statements, computed once per analysed module."""

    def __init__(self, tree: ast.AST):
        self.parent: Dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node

    def enclosing_stmt(self, node: ast.AST) -> Optional[ast.stmt]:
        while node is not None and not isinstance(node, ast.stmt):
            node = self.parent.get(node)
        return node

    def containing_list(self, stmt: ast.stmt) -> Optional[Tuple[ast.AST, list, int]]:
        parent = self.parent.get(stmt)
        if parent is None:
            return None
        for field in STMT_LIST_FIELDS:
            seq = getattr(parent, field, None)
            if isinstance(seq, list):
                for index, item in enumerate(seq):
                    if item is stmt:
                        return parent, seq, index
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
            for index, item in enumerate(seq):
                if item is node:
                    return index > anchor_index
            node = self.parent.get(node)
        return False
