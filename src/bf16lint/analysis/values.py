"""Abstract values: what the interpreter knows about each name at each point.

The domain is deliberately small. A tensor carries its dtype and, when it is bf16, the
Origin that made it so. Tensors are immutable and dtype-keeping operations return the
*same* object, so identity follows one tensor's lineage through moves, unpacking and
wrappers (that is how a finding inside a wrapper's forward finds the caller's argument).
Models are mutable, like nn.Modules: ``model.bfloat16()`` changes every alias.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, Optional

BF16 = "bf16"
FP32 = "fp32"
FP16 = "fp16"
OTHER = "other"  # float64, integer, or a dtype chosen to match a model
UNKNOWN_DTYPE = "unknown"


class Value:
    __slots__ = ()


class _Unknown(Value):
    def __repr__(self):
        return "UNKNOWN"


UNKNOWN = _Unknown()


class _Missing(_Unknown):
    """A key a path knows is absent (`"image" not in batch`): reading it fails there, so it
    adds nothing when the paths meet."""

    def __repr__(self):
        return "MISSING"


MISSING = _Missing()


@dataclass(eq=False)
class Origin:
    """Where (and why) a tensor became bf16."""

    line: int
    why: str
    condition: Optional[str] = None  # source text of the flag that makes it bf16, if any
    cast: Optional[ast.Call] = None  # an explicit literal bf16 cast (for the unsafe fix)
    scope: Optional[ast.AST] = None  # the function (or module) the cast sits in
    dtype_line: Optional[int] = None  # where the bf16 dtype variable was set, if one was used
    stmt: Optional[ast.stmt] = None  # the statement holding the explicit cast

    def with_condition(self, condition: str) -> "Origin":
        if self.condition or not condition:
            return self
        return Origin(self.line, self.why, condition, self.cast, self.scope, self.dtype_line, self.stmt)


@dataclass(eq=False)
class Tensor(Value):
    dtype: str
    origin: Optional[Origin] = None
    scalar: bool = False  # 0-dim or Python-scalar-like: promotion keeps the other dtype

    @property
    def is_bf16(self) -> bool:
        return self.dtype == BF16


@dataclass(eq=False)
class DType(Value):
    dtype: str
    origin: Optional[Origin] = None
    name: Optional[str] = None  # the exact torch constant (`torch.int64`), when spelled as one


@dataclass(eq=False)
class Const(Value):
    value: object


@dataclass(eq=False)
class Choice(Value):
    """One of a few known constants, which one decided at run time (`CHECKPOINTS[arch]`)."""

    options: tuple


@dataclass(eq=False)
class Device(Value):
    kind: str  # "cuda" | "cpu" | "mps" | "runtime" | "unknown"


@dataclass(eq=False)
class Container(Value):
    """A dict, tuple or list: known items by key/index, `elem` for the rest."""

    kind: str
    items: Dict[object, Value] = field(default_factory=dict)
    elem: Value = UNKNOWN
    key_text: Dict[object, str] = field(default_factory=dict)  # how the source spelled a key

    def get(self, key) -> Value:
        if key in self.items:
            return self.items[key]
        return self.elem

    def values(self):
        yield from self.items.values()
        if self.elem is not UNKNOWN:
            yield self.elem

    def copy(self) -> "Container":
        return Container(self.kind, dict(self.items), self.elem, dict(self.key_text))


@dataclass(eq=False)
class Iterable(Value):
    """A DataLoader, dataset, generator or any other thing a for loop takes items from."""

    elem: Value
    what: str = ""


def dtype_union(a: str, b: str) -> str:
    """The dtypes a model may have where two paths meet, as one canonical string
    ("bf16|fp32"): a model cast on one path only is each on its own path."""
    if a == b:
        return a
    return "|".join(sorted(set(a.split("|")) | set(b.split("|"))))


def dtype_parts(dtype: str) -> frozenset:
    return frozenset(dtype.split("|"))


@dataclass(eq=False)
class Model(Value):
    """A pretrained backbone built by a known loader."""

    name: str
    line: int
    self_casting: bool = False
    dtype: str = FP32  # BF16/FP16/OTHER when the model is cast; "bf16|fp32" when paths disagree
    built_by: Optional[ast.Call] = None  # the call that built it (the wrap fix wraps it)
    autocast: Optional["Autocast"] = None  # a framework runs its forward under autocast
    built_in: Optional[ast.stmt] = None  # the statement holding `built_by`


@dataclass(eq=False)
class Autocast(Value):
    device: str  # "cuda" | "cpu" | "runtime" | "accelerator" | "unknown"
    enabled: Optional[bool]  # None when chosen at run time
    line: int


@dataclass(eq=False)
class ModuleRef(Value):
    """A module, or a name reached through one: `torch`, `torch.hub.load`, `timm`."""

    qualified: str
    bound: bool = True  # False: a name this code never assigns or imports (a notebook's
    # variable from elsewhere, `%store -r images`): it may be a tensor as well as a module


@dataclass(eq=False)
class FunctionRef(Value):
    node: ast.AST  # FunctionDef | AsyncFunctionDef | Lambda
    bound_self: Optional["Instance"] = None
    closure: Optional[object] = None  # the Frame a nested def was created in
    partial_args: tuple = ()  # functools.partial(fn, *args, **kwargs)
    partial_kwargs: Optional[Dict[str, "Value"]] = None


@dataclass(eq=False)
class ClassRef(Value):
    node: ast.ClassDef
    methods: Dict[str, ast.AST] = field(default_factory=dict)
    attrs: Dict[str, ast.AST] = field(default_factory=dict)  # class-level assignments
    base_methods: Dict[str, ast.AST] = field(default_factory=dict)  # what super() reaches
    module_base: bool = False  # torch.nn.Module is among its bases: what no user class defines is Module's


@dataclass(eq=False)
class Super(Value):
    """super() inside a method: the instance, seen through its base classes."""

    instance: "Instance"
    methods: Dict[str, ast.AST]
    module_base: bool = False  # a method none of `methods` defines is torch.nn.Module's own


@dataclass(eq=False)
class Instance(Value):
    """An object of a class defined in the analysed code, or a namespace/config object."""

    cls: Optional[ClassRef]
    attrs: Dict[str, Value] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.cls.node.name if self.cls else "namespace"


def condition_of(value: Value) -> Optional[str]:
    origin = getattr(value, "origin", None)
    return origin.condition if origin else None


def join(a: Value, b: Value, condition: str = "", otherwise: str = "") -> Value:
    """The value a name has after two branches meet. bf16 wins (it is what can crash),
    marked with the branch condition that produced it (`condition` for a bf16 value from
    `a`, `otherwise` for one from `b` only)."""
    if a is b:
        return a
    otherwise = otherwise or condition
    if isinstance(a, _Unknown):  # UNKNOWN, or an undecided flag: it says nothing about a tensor
        a, b = b, a
        condition, otherwise = otherwise, condition
    if isinstance(a, Tensor):
        if a.is_bf16:
            if isinstance(b, Tensor) and b.is_bf16:
                return _first_origin(a, b)
            return Tensor(BF16, a.origin.with_condition(condition), a.scalar)
        if isinstance(b, Tensor) and b.is_bf16:
            return Tensor(BF16, b.origin.with_condition(otherwise), b.scalar)
        if isinstance(b, Tensor) and b.dtype == a.dtype:
            if a.origin is b.origin and a.scalar == b.scalar:
                return a
            # scalar only if both are; an origin only if both agree (it names a bf16 cause)
            return Tensor(a.dtype, a.origin if a.origin is b.origin else None, a.scalar and b.scalar)
        return Tensor(UNKNOWN_DTYPE)
    if isinstance(a, DType):
        bf16 = [d for d in (a, b) if isinstance(d, DType) and d.dtype == BF16]
        if bf16:
            chosen = _first_origin(*bf16) if len(bf16) == 2 else bf16[0]
            return chosen if chosen.origin is None else DType(
                BF16, chosen.origin.with_condition(condition if chosen is a else otherwise), chosen.name)
        if isinstance(b, DType) and b.dtype == a.dtype and b.name == a.name:
            return a
        return a if isinstance(b, _Unknown) else DType(UNKNOWN_DTYPE)
    if isinstance(a, Container) and isinstance(b, Container):
        texts = {k: min(t for t in (a.key_text.get(k), b.key_text.get(k)) if t is not None)
                 for k in set(a.key_text) | set(b.key_text)}
        out = Container(a.kind if a.kind == b.kind else "any", {}, join(a.elem, b.elem, condition, otherwise), texts)
        for key in set(a.items) | set(b.items):
            out.items[key] = join(a.get(key), b.get(key), condition, otherwise)
        return out
    if isinstance(a, Iterable) and isinstance(b, Iterable):
        return Iterable(join(a.elem, b.elem, condition, otherwise), a.what or b.what)
    if isinstance(a, Const) and isinstance(b, Const):
        if a.value == b.value:
            return a
        if is_device_string(a.value) and is_device_string(b.value):
            return Device("runtime")
        return UNKNOWN
    if isinstance(a, Device) and isinstance(b, (Device, Const)):
        other = b.kind if isinstance(b, Device) else device_kind(b.value)
        return a if other == a.kind else Device("runtime")
    if isinstance(b, Device) and isinstance(a, Const):
        return join(b, a, condition)
    if isinstance(a, Model) and isinstance(b, Model):
        return join_models(a, b)
    if isinstance(b, _Unknown):
        # One branch knows something, the other nothing: keep what is known (a model
        # built in one branch, a loader in the other) rather than forget it.
        return a
    if isinstance(a, (Model, Instance)) and not isinstance(b, (Model, Instance)):
        return a
    if isinstance(b, (Model, Instance)) and not isinstance(a, (Model, Instance)):
        return b
    return a if type(a) is type(b) else UNKNOWN


def join_models(a: "Model", b: "Model") -> "Model":
    """Two models meet (`net = a if c else b`, a clone and its original): the one built
    first in the source names the result, its dtype is every dtype either may have, it
    casts its own input only if both do, and a framework's autocast is kept if both agree
    or one alone has one (the one built first wins a tie)."""
    dtype = dtype_union(a.dtype, b.dtype)
    first, second = (a, b) if _model_key(a) <= _model_key(b) else (b, a)
    self_casting = a.self_casting and b.self_casting
    autocast = first.autocast if first.autocast is not None else second.autocast
    if dtype == first.dtype and self_casting == first.self_casting and autocast is first.autocast:
        return first
    return Model(first.name, first.line, self_casting, dtype, first.built_by, autocast, first.built_in)


def _model_key(model: "Model"):
    site = model.built_by
    return (model.line, model.name, getattr(site, "lineno", 0), getattr(site, "col_offset", 0), id(site))


def _origin_key(value):
    origin = value.origin
    if origin is None:
        return (1, 0, "", "")
    return (0, origin.line, origin.why, origin.condition or "")


def _first_origin(a, b):
    """Two bf16 facts meet: keep the one whose origin comes first in the source (the same
    answer whichever branch is `a`), scalar only if both are."""
    first, second = (b, a) if _origin_key(b) < _origin_key(a) else (a, b)
    if isinstance(first, Tensor) and first.scalar and not second.scalar:
        return Tensor(BF16, first.origin, False)
    return first


def is_device_string(value) -> bool:
    return isinstance(value, str) and value.split(":")[0] in ("cuda", "cpu", "mps", "xpu")


def device_kind(value) -> str:
    if is_device_string(value):
        return value.split(":")[0]
    return "unknown"


def deep_copy(value: Value, memo: dict) -> Value:
    """`copy.deepcopy`: a new object with its own state (a model cast after the copy was
    taken leaves the copy as it was). Tensors and other immutable values are shared."""
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, Model):
        out = Model(value.name, value.line, value.self_casting, value.dtype, value.built_by, value.autocast,
                    value.built_in)
    elif isinstance(value, Instance):
        out = Instance(value.cls)
        memo[id(value)] = out
        out.attrs = {k: deep_copy(v, memo) for k, v in value.attrs.items()}
    elif isinstance(value, Container):
        out = Container(value.kind, {}, UNKNOWN, dict(value.key_text))
        memo[id(value)] = out
        out.items = {k: deep_copy(v, memo) for k, v in value.items.items()}
        out.elem = deep_copy(value.elem, memo)
    else:
        return value
    memo[id(value)] = out
    return out
