"""Hypothesis strategies over the analysis's abstract values, behind a thin adapter.

The adapter is the only place that knows where the domain lives: when the domain moves
(src/bf16lint/analysis/domain/), retarget the `domain` import below; `join`, `leq` and
`same` then follow (a domain with its own `leq` is used as is, else leq is derived from
join: a <= b  iff  join(a, b) == b).
"""
from __future__ import annotations

import ast
import dataclasses

from hypothesis import strategies as st

from bf16lint.analysis import values as domain  # <- the one line to retarget

# ----------------------------------------------------------------------- adapter
def join(a, b, condition: str = ""):
    return domain.join(a, b, condition) if condition else domain.join(a, b)


def leq(a, b) -> bool:
    own = getattr(domain, "leq", None)
    if own is not None:
        return bool(own(a, b))
    return same(join(a, b), b)


def deep_copy(value):
    """`copy.deepcopy` as the domain models it, or None when it does not."""
    own = getattr(domain, "deep_copy", None)
    return None if own is None else own(value, {})


def mutable_parts(value, seen=None):
    """Ids of the mutable objects (models, instances, containers) reachable from value."""
    seen = set() if seen is None else seen
    if id(value) in seen or not isinstance(value, (domain.Model, domain.Instance, domain.Container)):
        return seen
    seen.add(id(value))
    children = []
    if isinstance(value, domain.Instance):
        children = list(value.attrs.values())
    elif isinstance(value, domain.Container):
        children = list(value.items.values()) + [value.elem]
    for child in children:
        mutable_parts(child, seen)
    return seen


def same(a, b) -> bool:
    """Structural equality: today's values compare by identity (eq=False dataclasses), so
    two equal facts built apart would never be ==. Syntax nodes (what built a model,
    the cast a fix rewrites) are compared by identity: they are allocation sites."""
    return _shape(a) == _shape(b)


def _shape(value, depth: int = 0):
    if depth > 50:
        return "..."
    if isinstance(value, ast.AST):
        return ("ast", id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple(
            (f.name, _shape(getattr(value, f.name), depth + 1)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted(((repr(k), _shape(v, depth + 1)) for k, v in value.items()))))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__,) + tuple(_shape(v, depth + 1) for v in value)
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return (type(value).__name__, repr(value))


def clone(value):
    """An equal value built apart (new objects all the way down, same allocation sites
    and origins): what a second evaluation of the same expression gives."""
    if isinstance(value, domain.Origin) or isinstance(value, ast.AST) or not dataclasses.is_dataclass(value):
        return value
    kwargs = {}
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        if isinstance(item, dict):
            item = {k: clone(v) for k, v in item.items()}
        else:
            item = clone(item)
        kwargs[f.name] = item
    return type(value)(**kwargs)


def is_maybe_bf16(value) -> bool:
    """Whether the value says a tensor may be bf16 (the only fact that makes a finding)."""
    return isinstance(value, domain.Tensor) and value.dtype == domain.BF16


# ----------------------------------------------------------------------- values
# A few allocation sites, shared by every example: join must treat them as facts, not as
# fresh objects (identity matters to today's domain).
_SITES = [ast.parse(src, mode="eval").body for src in (
    "torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')",
    "timm.create_model('resnet50', pretrained=True)",
    "x.to(torch.bfloat16)",
)]
_LAMBDAS = [ast.parse("lambda t: t", mode="eval").body, ast.parse("lambda t: t.float()", mode="eval").body]
ORIGINS = [
    domain.Origin(3, "cast to bf16", cast=_SITES[2]),
    domain.Origin(7, "bf16 cache", condition="cfg.use_bf16"),
    domain.Origin(11, "dtype variable", dtype_line=9),
]

dtypes = st.sampled_from([domain.BF16, domain.FP32, domain.FP16, domain.OTHER, domain.UNKNOWN_DTYPE])
origins = st.sampled_from(ORIGINS)


@st.composite
def tensors(draw):
    dtype = draw(dtypes)
    # Domain invariant (the interpreter keeps it): a bf16 tensor knows where it became bf16.
    origin = draw(origins) if dtype == domain.BF16 else draw(st.none() | origins)
    return domain.Tensor(dtype, origin, draw(st.booleans()))


# How the source spelled an exact dtype constant, when the domain records it.
_DTYPE_NAMES = {domain.FP32: "torch.float32", domain.OTHER: "torch.int64"}


@st.composite
def dtype_values(draw):
    dtype = draw(dtypes)
    origin = draw(origins) if dtype == domain.BF16 else draw(st.none())
    value = domain.DType(dtype, origin)
    if dtype in _DTYPE_NAMES and hasattr(value, "name") and draw(st.booleans()):
        value.name = _DTYPE_NAMES[dtype]
    return value


models = st.builds(
    domain.Model,
    name=st.sampled_from(["dinov2_vits14", "resnet50", "convnext_tiny"]),
    line=st.sampled_from([2, 5]),
    self_casting=st.booleans(),
    dtype=st.sampled_from([domain.FP32, domain.BF16, domain.FP16, domain.OTHER]),
    built_by=st.sampled_from(_SITES[:2]),
)
consts = st.builds(domain.Const, st.sampled_from(["cuda", "cpu", "cuda:1", "image", 0, 1, True, None, 0.5]))
devices = st.builds(domain.Device, st.sampled_from(["cuda", "cpu", "mps", "runtime", "unknown"]))
autocasts = st.builds(domain.Autocast, st.sampled_from(["cuda", "cpu", "runtime", "unknown"]),
                      st.sampled_from([True, False, None]), st.sampled_from([4, 8]))
module_refs = st.builds(domain.ModuleRef, st.sampled_from(["torch", "timm", "torch.hub.load"]), st.booleans())
function_refs = st.builds(domain.FunctionRef, st.sampled_from(_LAMBDAS))
_LEAVES = [st.just(domain.UNKNOWN), tensors(), dtype_values(), models, consts, devices, autocasts,
           module_refs, function_refs]
if hasattr(domain, "Choice"):  # one of a few known constants (`CHECKPOINTS[arch]`)
    _LEAVES.append(st.builds(domain.Choice, st.lists(
        st.sampled_from(["microsoft/resnet-50", "facebook/convnext-tiny-224", "bf16", "fp32"]),
        min_size=2, max_size=3, unique=True).map(tuple)))
leaves = st.one_of(*_LEAVES)
KEYS = ["image", "label", 0, 1]


def _containers(children):
    return st.builds(
        lambda kind, items, elem: domain.Container(kind, items, elem),
        st.sampled_from(["dict", "list", "tuple"]),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=3),
        st.one_of(st.just(domain.UNKNOWN), children),
    )


def _compounds(children):
    return st.one_of(
        _containers(children),
        st.builds(domain.Iterable, children, st.sampled_from(["", "DataLoader"])),
        st.builds(lambda attrs: domain.Instance(None, attrs),
                  st.dictionaries(st.sampled_from(["backbone", "x", "dtype"]), children, max_size=2)),
    )


# Every kind of value: leaves, and containers / loaders / namespaces holding them.
abstract_values = st.recursive(leaves, _compounds, max_leaves=6)
