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


_SERIAL = [0]  # objects are numbered as they are made: what a path made after a mark is new


def serial_now() -> int:
    return _SERIAL[0]


def _number(obj) -> None:
    obj._born = _SERIAL[0]  # not a dataclass field: equal values stay equal
    _SERIAL[0] += 1


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


class _Mixed(_Unknown):
    """Where paths meet with values of different kinds (a tensor on one, a loader on the
    other): the top of the domain. Unlike UNKNOWN, which says nothing and so leaves the
    other path's value as it is, it absorbs every value but a bf16 tensor, a model and an
    object (what the rules and fixes look for)."""

    def __repr__(self):
        return "MIXED"


MIXED = _Mixed()
MAX_CHOICES = 8


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

    def __post_init__(self):  # one order whatever order the paths came in
        unique = {_literal_key(o): o for o in self.options}  # 1 and True stay apart
        self.options = tuple(unique[k] for k in sorted(unique))


def _literal_key(value):
    return (type(value).__name__, repr(value))


def _same_literal(a, b) -> bool:
    return type(a) is type(b) and a == b  # 1 and True are different constants


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

    __post_init__ = _number


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

    __post_init__ = _number


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
    mro: tuple = ()  # the user classes after this one in its C3 method resolution order
    own_methods: Dict[str, ast.AST] = field(default_factory=dict)  # what its own body defines
    own_attrs: Dict[str, "Value"] = field(default_factory=dict)
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

    __post_init__ = _number


def condition_of(value: Value) -> Optional[str]:
    origin = getattr(value, "origin", None)
    return origin.condition if origin else None


def join(a: Value, b: Value, condition: str = "", otherwise: str = "") -> Value:
    """The value a name has after two paths meet: a semilattice join (commutative,
    associative, idempotent; tests/analysis/test_domain_laws.py). bf16 wins (it is what can
    crash), marked with the branch condition that produced it (`condition` for a bf16 value
    from `a`, `otherwise` for one from `b` only). UNKNOWN (and MISSING, an undecided flag)
    says nothing and leaves the other value as it is; values of different kinds meet at
    MIXED unless one of them is a bf16 tensor, a model or an object."""
    if a is b:
        return a
    otherwise = otherwise or condition
    if _says_nothing(a):
        a, b = b, a
        condition, otherwise = otherwise, condition
    if _says_nothing(b):
        return _marked(a, condition)
    if _kind(a) != _kind(b) and not _devices(a, b) and not _literals(a, b):
        rank_a, rank_b = _rank(a), _rank(b)
        if rank_a == rank_b:  # different kinds of equal rank: only the top holds both
            return MIXED
        return _marked(a, condition) if rank_a > rank_b else _marked(b, otherwise)
    if isinstance(a, Tensor):
        if a.is_bf16:
            if b.is_bf16:
                return _first_origin(a, b)
            return Tensor(BF16, a.origin.with_condition(condition), a.scalar)
        if b.is_bf16:
            return Tensor(BF16, b.origin.with_condition(otherwise), b.scalar)
        if b.dtype == a.dtype:
            if a.origin is b.origin and a.scalar == b.scalar:
                return a
            # scalar only if both are; an origin only if both agree (it names a bf16 cause)
            return Tensor(a.dtype, a.origin if a.origin is b.origin else None, a.scalar and b.scalar)
        return Tensor(UNKNOWN_DTYPE)
    if isinstance(a, DType):
        bf16 = [d for d in (a, b) if d.dtype == BF16]
        if bf16:
            chosen = _first_origin(*bf16) if len(bf16) == 2 else bf16[0]
            return chosen if chosen.origin is None else DType(
                BF16, chosen.origin.with_condition(condition if chosen is a else otherwise), chosen.name)
        if b.dtype == a.dtype and b.name == a.name:
            return a
        return DType(UNKNOWN_DTYPE)
    if isinstance(a, Container):
        texts = join_key_texts(a.key_text, b.key_text)
        out = Container(a.kind if a.kind == b.kind else "any", {}, join(a.elem, b.elem, condition, otherwise), texts)
        for key in set(a.items) | set(b.items):
            out.items[key] = join(a.get(key), b.get(key), condition, otherwise)
        return out
    if isinstance(a, Iterable):
        whats = sorted(w for w in (a.what, b.what) if w)
        return Iterable(join(a.elem, b.elem, condition, otherwise), whats[0] if whats else "")
    if _devices(a, b):
        kinds = {v.kind if isinstance(v, Device) else device_kind(v.value) for v in (a, b)}
        if isinstance(a, Const) and isinstance(b, Const) and _same_literal(a.value, b.value):
            return a
        kind = kinds.pop() if len(kinds) == 1 else "runtime"
        for value in (a, b):
            if isinstance(value, Device) and value.kind == kind:
                return value
        return Device(kind)
    if _literals(a, b):
        options = tuple(o for v in (a, b) for o in (v.options if isinstance(v, Choice) else (v.value,)))
        if isinstance(a, Const) and isinstance(b, Const) and _same_literal(a.value, b.value):
            return a
        merged = Choice(options)
        if len(merged.options) > MAX_CHOICES:
            return MIXED
        for value in (a, b):
            if isinstance(value, Choice) and value.options == merged.options:
                return value
        return merged
    if isinstance(a, Model):
        return join_models(a, b)
    if isinstance(a, Instance) and a.cls is b.cls:
        # the same class on both paths: one object whose attributes may be either's
        attrs = {k: join(a.attrs.get(k, UNKNOWN), b.attrs.get(k, UNKNOWN), condition, otherwise)
                 for k in {**a.attrs, **b.attrs}}
        return Instance(a.cls, attrs)
    # other values of one kind (two functions, two classes, two modules): the one defined
    # first in the source, the same answer whichever path came first
    return a if _position_key(a) <= _position_key(b) else b


def join_key_texts(a: Dict[object, str], b: Dict[object, str]) -> Dict[object, str]:
    """How a container's keys are spelled where two paths meet: each key's first spelling
    in sort order, the same whichever path came first."""
    return {k: min(t for t in (a.get(k), b.get(k)) if t is not None) for k in set(a) | set(b)}


def _kind(value):
    """A device string is a device, not a literal: `"cuda"` and `0` do not meet as constants."""
    if isinstance(value, Const) and is_device_string(value.value):
        return Device
    return type(value)


def _says_nothing(value) -> bool:
    return isinstance(value, _Unknown) and not isinstance(value, _Mixed)


def _marked(value, condition):
    """A bf16 fact that holds on one path only names that path's condition."""
    if isinstance(value, Tensor) and value.is_bf16:
        return Tensor(BF16, value.origin.with_condition(condition), value.scalar)
    if isinstance(value, DType) and value.dtype == BF16 and value.origin is not None:
        return DType(BF16, value.origin.with_condition(condition), value.name)
    return value


def _rank(value) -> int:
    """Which of two different kinds a join keeps: what can crash, then what is called."""
    if isinstance(value, Tensor) and value.is_bf16:
        return 3
    if isinstance(value, Model):
        return 2
    if isinstance(value, Instance):
        return 1
    return 0


def _devices(a, b) -> bool:
    """Two device values (a Device, or a device string)."""
    return all(isinstance(v, Device) or (isinstance(v, Const) and is_device_string(v.value)) for v in (a, b))


def _literals(a, b) -> bool:
    """Two constants that are not both devices (a Const or a Choice of several)."""
    return all(isinstance(v, Choice) or (isinstance(v, Const) and not is_device_string(v.value)) for v in (a, b)) \
        and not (isinstance(a, Const) and isinstance(b, Const) and _unhashable(a.value, b.value))


def _unhashable(*values) -> bool:
    try:
        for value in values:
            hash(value)
    except TypeError:
        return True
    return False


def _position_key(value):
    node = getattr(value, "node", None) or getattr(value, "cls", None)
    node = getattr(node, "node", node)
    where = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)) if node is not None else (0, 0)
    return (type(value).__name__, where, getattr(value, "qualified", ""), getattr(value, "line", 0),
            getattr(value, "device", ""), repr(getattr(value, "enabled", "")), repr(getattr(value, "bound", "")),
            repr(getattr(value, "value", "")), id(value))


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
