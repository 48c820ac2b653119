"""Call summaries: a call of a module-level function (or a method) already interpreted in
the same abstract context gives the same result without running its body again.

The context is what the body can see: the function, the receiver and the arguments (by
identity for objects, with the dtype of a model and the attribute bindings of an object,
by value for constants), the autocast scopes around the call, the flag valuation of the
path, the module's namespace version (the length of its journal: any module-level
assignment is a new context, so a summary is reused within one module-level statement,
such as a call of main(), and across the checks of uncalled functions) and the number of writes made to
objects older than the current module-level statement (the heap version). A summary is only
kept when the body had no effect the caller could see: no finding, no write to an object
that existed before the call, no write to the module's names, and a result that is not a
fresh mutable object (two calls of a builder must not share one instance). Such a call
is the common case when every function of a file is checked with unknown arguments, and it
is what made a 3,000-line model file cost re-interpreting its helpers at every call site.
"""
from __future__ import annotations

from typing import Dict, Optional

from .values import (
    ClassRef,
    Const,
    Container,
    Device,
    DType,
    FunctionRef,
    Instance,
    Model,
    ModuleRef,
    Tensor,
    _Unknown,
)

MAX_SUMMARIES = 4096
_MISS = object()


def fingerprint(value, depth: int = 0):
    """What a callee can tell about a value, as a hashable key."""
    if isinstance(value, Const):
        try:
            hash(value.value)
        except TypeError:
            return ("c?", id(value))
        return ("c", type(value.value).__name__, value.value)
    if isinstance(value, Tensor):
        # a bf16 tensor by identity (a finding locates it among a call's arguments by
        # identity); any other by what it is
        return ("t", id(value)) if value.is_bf16 else ("T", value.dtype, value.scalar, id(value.origin))
    if isinstance(value, DType):
        return ("d", value.dtype, value.name, id(value.origin))
    if isinstance(value, Model):
        return ("M", id(value), value.dtype, value.self_casting, id(value.autocast))
    if isinstance(value, Instance):
        if depth > 1:
            return ("i", id(value))
        return ("I", id(value), tuple(sorted((str(k), fingerprint(v, depth + 1)) for k, v in value.attrs.items())))
    if isinstance(value, Container):
        if depth > 1:
            return ("k", id(value))
        return ("K", id(value), value.kind, tuple(sorted((repr(k), fingerprint(v, depth + 1))
                                                      for k, v in value.items.items())),
                fingerprint(value.elem, depth + 1))
    if isinstance(value, ModuleRef):
        return ("m", value.qualified, value.bound)
    if isinstance(value, Device):
        return ("v", value.kind)
    if isinstance(value, (FunctionRef, ClassRef, _Unknown)):
        return ("r", id(value))
    return ("o", id(value))


def keeps(value) -> bool:
    """A result two call sites may share: immutable, or a reference to code."""
    return isinstance(value, (Tensor, Const, DType, ModuleRef, Device, FunctionRef, ClassRef, _Unknown))


class Summaries:
    def __init__(self):
        self._table: Dict[tuple, object] = {}
        self.hits = 0  # reuses, for benchmarks and tests

    def get(self, key) -> Optional[object]:
        value = self._table.get(key, _MISS)
        if value is _MISS:
            return None
        self.hits += 1
        return value

    def put(self, key, result) -> None:
        if len(self._table) >= MAX_SUMMARIES:
            self._table.clear()
        self._table[key] = result
