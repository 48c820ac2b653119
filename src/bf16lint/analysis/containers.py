"""Container mutation as transfer functions: what `append`, `extend`, `insert`, `update`,
`setdefault`, `+=` and a store under a key do to a list or dict value.

Each returns a NEW container (the caller rebinds the name, or writes it back into the
object that holds it), so a branch that did not run the mutation never sees it. A store
under a key the analysis cannot name is a weak update: every item it may replace, and the
items it may add, are joined with the stored value.
"""
from __future__ import annotations

from typing import Optional, Tuple

from .values import UNKNOWN, Const, Container, Value, join

MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "add"})


def add_elements(container: Container, elem: Value) -> Container:
    """Items were added at positions not known here: they show through `elem`."""
    out = container.copy()
    out.elem = join(out.elem, elem) if out.elem is not UNKNOWN else elem
    return out


def store(container: Container, key, value: Value, key_text: str = "") -> Container:
    out = container.copy()
    if key is None:
        for known in list(out.items):
            out.items[known] = join(out.items[known], value)
        out.elem = join(out.elem, value) if out.elem is not UNKNOWN else value
        return out
    out.items[key] = value
    if key_text:
        out.key_text[key] = key_text
    return out


def mutate(container: Container, name: str, args, kwargs, iter_elem) -> Tuple[Optional[Container], Value]:
    """(the container after the call or None when it does not change, the call's result)."""
    if name in ("append", "add") and args:
        return add_elements(container, args[0]), Const(None)
    if name == "insert" and len(args) >= 2:
        return add_elements(container, args[1]), Const(None)
    if name == "extend" and args:
        source = args[0]
        if isinstance(source, Container) and source.kind != "dict" and source.elem is UNKNOWN:
            out = container
            for item in source.items.values():
                out = add_elements(out, item)
            return out, Const(None)
        return add_elements(container, iter_elem(source)), Const(None)
    if name == "update":
        out = container
        pairs = {}
        if args and isinstance(args[0], Container) and args[0].kind in ("dict", "any"):
            pairs.update(args[0].items)
            if args[0].elem is not UNKNOWN:
                out = store(out, None, args[0].elem)
        pairs.update({k: v for k, v in kwargs.items() if not k.startswith("**")})
        for key, value in pairs.items():
            out = store(out, key, value, repr(key) if isinstance(key, str) else "")
        return out, Const(None)
    if name == "setdefault" and args:
        key = args[0].value if isinstance(args[0], Const) else None
        value = args[1] if len(args) > 1 else Const(None)
        if key is not None and key in container.items:
            return None, container.items[key]
        return store(container, key, value, repr(key) if isinstance(key, str) else ""), value
    return None, UNKNOWN


def concat(left: Container, right: Container) -> Container:
    """`a + b` / `a += b` on lists or tuples: known items stay known when both sides are
    fully known; otherwise the right side's items show through `elem`."""
    if left.elem is UNKNOWN and right.elem is UNKNOWN and all(isinstance(k, int) for k in left.items):
        out = Container(left.kind, dict(left.items))
        offset = len(left.items)
        for index, item in sorted(((k, v) for k, v in right.items.items() if isinstance(k, int)), key=lambda p: p[0]):
            out.items[offset + index] = item
        return out
    out = left
    for item in list(right.items.values()) + ([right.elem] if right.elem is not UNKNOWN else []):
        out = add_elements(out, item)
    return out
