"""The state one path of the analysis carries through a body: namespaces (with a
journal, so a path split restores one without copying it before every statement) and
frames (a body's names, bindings, autocast scopes, loops, returns and findings)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from .paths import PathEnd
from .checks import Hit
from .values import (
    Autocast,
    Value,
    join,
)


MAX_DEPTH = 8
MAX_UNROLL = 8  # a for loop over at most this many known items runs once per item
MAX_LOOP_ROUNDS = 4  # iterations of a loop body while names keep turning bf16
# Work bounds: each statement of the module body (a notebook cell's statements, a call of
# main()) may interpret this many statements through the calls it makes, so a heavy helper
# early in a file cannot use up the budget of a call further down; past the total for the
# whole module, calls stop being followed.
MAX_STEPS = 60_000
MAX_TOTAL_STEPS = 200_000


_UNSET = object()


class Env(dict):
    """A name -> value map that remembers which names were written since it was made, so
    joining two branches costs what they changed, not the size of the program's namespace.
    A body's own namespace also keeps a journal of old values, so the state before any of
    its statements can be had back (a path split) without copying it before each one."""

    __slots__ = ("written", "journal")

    def __init__(self, *args):
        super().__init__(*args)
        self.written = set()
        self.journal = None

    def __setitem__(self, key, value):
        self.written.add(key)
        if self.journal is not None:
            self.journal.append((key, self.get(key, _UNSET)))
        super().__setitem__(key, value)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def mark(self) -> int:
        if self.journal is None:
            self.journal = []
        return len(self.journal)

    def as_of(self, mark: int) -> dict:
        """The names as they were at `mark` (this namespace is left as it is)."""
        out = dict(self)
        for key, old in reversed(self.journal[mark:]):
            if old is _UNSET:
                out.pop(key, None)
            else:
                out[key] = old
        return out


def _snapshot_of(env):
    """What restores `env` to now, later: a journal mark, or a copy for a plain dict."""
    return (env, env.mark()) if isinstance(env, Env) else (None, dict(env))


def _restore(snapshot) -> dict:
    env, kept = snapshot
    return env.as_of(kept) if env is not None else kept


def _changed(a, b=None):
    """Names written in `a` or `b` since they were copied (every name, for a plain dict)."""
    wa = getattr(a, "written", None)
    wa = set(a) if wa is None else wa
    if b is None:
        return wa
    wb = getattr(b, "written", None)
    return wa | (set(b) if wb is None else wb)


@dataclass
class Frame:
    scope: ast.AST
    parent: Optional["Frame"] = None
    env: Dict[str, Value] = field(default_factory=Env)
    bind: Dict[str, Tuple[ast.AST, str]] = field(default_factory=Env)
    autocast: Tuple[Autocast, ...] = ()
    loops: Tuple[ast.AST, ...] = ()
    is_method: bool = False
    returns: List[Value] = field(default_factory=list)
    yields: List[Value] = field(default_factory=list)
    hits: List[Hit] = field(default_factory=list)
    home: object = field(default_factory=object)  # the body this frame runs (forks share it)

    def lookup(self, name: str) -> Optional[Value]:
        frame = self
        while frame is not None:
            if name in frame.env:
                return frame.env[name]
            frame = frame.parent
        return None

    def branch(self) -> "Frame":
        return Frame(
            self.scope, self.parent, Env(self.env), Env(self.bind), self.autocast,
            self.loops, self.is_method, self.returns, self.yields, self.hits, self.home,
        )

    def merge(self, a: "Frame", b: "Frame", condition: str) -> None:
        """Join two branch states (both made from this frame) into it: only the names
        either branch wrote can differ."""
        for name in _changed(a.env, b.env):
            if name in a.env and name in b.env:
                # a bf16 value from `b` (the else side) exists when the condition is false
                self.env[name] = join(a.env[name], b.env[name], condition, f"not ({condition})" if condition else "")
            elif name in a.env or name in b.env:
                self.env[name] = a.env.get(name, b.env.get(name))
        for name in _changed(a.bind, b.bind):
            left, right = a.bind.get(name), b.bind.get(name)
            if left or right:
                self.bind[name] = left if left == right else (left or right, "ambiguous") if left and right \
                    else (left or right)

    def adopt(self, other: "Frame", also=()) -> None:
        """Take a branch's state (the other branch ended early)."""
        for name in _changed(other.env) | set(also):
            if name in other.env:
                self.env[name] = other.env[name]
        for name in _changed(other.bind) | set(also):
            if name in other.bind:
                self.bind[name] = other.bind[name]


_Stop = PathEnd  # a block ended early (return, raise, break, continue)
