"""Path sensitivity: one fact per flag, however often the program tests it.

A flag the analysis cannot decide (an argparse switch, a parameter nobody passes, a config
attribute read from YAML, a comparison such as `args.precision == "bf16"`) is a Flag value
with an identity. When control flow tests a Flag that the program tests in two or more
places, the interpreter splits: it runs the rest of the block that owns the flag once with
the flag false and once with it true (a bounded disjunction of states, one per valuation),
so a later test of the same flag is decided the same way on each path. `data = x.bfloat16()
if flag` then `x = x.float() if flag` is quiet, as it is at run time.

Splits are bounded (MAX_ASSUMPTIONS flags per path, MAX_FORKS per module); past them a test
is undecided and its branches are joined, as before.
"""
from __future__ import annotations

import ast
from collections import Counter
from typing import Optional

from .scopes import dotted_name
from .values import _Unknown

MAX_ASSUMPTIONS = 3
MAX_FORKS = 64


class PathEnd(Exception):
    """A path ended early: return, raise, break, continue, sys.exit()."""


class Flag(_Unknown):
    """An undecided value with an identity: the same key is the same fact."""

    def __init__(self, key, text: str, home=None, negated: bool = False):
        self.key, self.text, self.home, self.negated = key, text, home, negated

    def negate(self) -> "Flag":
        return Flag(self.key, self.text, self.home, not self.negated)

    def __repr__(self):
        return f"Flag({self.text!r}{', negated' if self.negated else ''})"


class SplitRequest(Exception):
    """Raised where a test needs a flag's value: the block that owns the flag catches it
    and runs its rest once per value."""

    def __init__(self, flag: Flag, text: str):
        super().__init__(text)
        self.flag, self.text = flag, text


def coarse_key(node) -> Optional[str]:
    """What makes two tests 'the same flag' syntactically, before any value is known:
    `opts.bf16_cache` and `self.bf16_cache` and `bf16_cache` share `bf16_cache`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return coarse_key(node.operand)
    if isinstance(node, ast.Compare):
        left = coarse_key(node.left)
        if left is None:
            return None
        return left + "".join(type(op).__name__ + ast.dump(c) for op, c in zip(node.ops, node.comparators))
    return None


def tested_twice(tree: ast.AST, flag_keywords=frozenset()) -> Counter:
    """How often each coarse key is tested (if/while/ternary/comprehension conditions and
    the operands of and/or inside them; a bf16 flag handed to a data source by keyword,
    `Cache(..., use_bf16=cfg.use_bf16)`, decides as much as an `if`)."""
    counts: Counter = Counter()

    def count(test):
        if isinstance(test, ast.BoolOp):
            for value in test.values:
                count(value)
            return
        key = coarse_key(test)
        if key is not None:
            counts[key] += 1

    for node in ast.walk(tree):
        if isinstance(node, (ast.If, ast.IfExp, ast.While)):
            count(node.test)
        elif isinstance(node, ast.comprehension):
            for cond in node.ifs:
                count(cond)
        elif isinstance(node, ast.keyword) and node.arg is not None:
            if node.arg in flag_keywords:
                count(node.value)
            if isinstance(node.value, (ast.Name, ast.Attribute)):
                # `Cache(..., use_bf16=flag)`: the parameter tested inside (self.use_bf16)
                # is the same fact as the value handed in
                counts[node.arg] += 1
    return counts


dotted_text = dotted_name  # one helper for the whole analysis (scopes.py)


def describe(valuation) -> str:
    """`when `opts.bf16_cache` is true and `low` is false`."""
    return " and ".join(f"`{text}` is {'true' if value else 'false'}" for text, value in valuation)
