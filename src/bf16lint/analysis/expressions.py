"""Expressions of the abstract interpreter: names, attributes, subscripts, literals,
arithmetic and dtype promotion, comparisons and truth, comprehensions, what loops take
from what they iterate. Mixed into analysis.interpreter.Interpreter."""
from __future__ import annotations

import ast
from typing import Optional

from . import containers, paths
from .paths import Flag, SplitRequest
from .knowledge.calls import (
    TENSOR_NON_TENSOR_ATTRS,
)
from .knowledge.dtypes import DTYPE_CONSTANTS, canonical as canonical_dtype, facts as dtype_facts
from .scopes import dotted_name
from .values import (
    BF16,
    Choice,
    FP16,
    FP32,
    OTHER,
    UNKNOWN,
    UNKNOWN_DTYPE,
    Autocast,
    ClassRef,
    Const,
    Container,
    Device,
    DType,
    FunctionRef,
    Instance,
    Iterable,
    Model,
    ModuleRef,
    Origin,
    Tensor,
    Value,
    join,
)
from .state import (
    Frame,
)


def _is_none(value) -> bool:
    return isinstance(value, Const) and value.value is None


def _never_none(value) -> bool:
    """A value that is some object on every path (`x is None` is false for it)."""
    if isinstance(value, Const):
        return value.value is not None
    if isinstance(value, Choice):
        return None not in value.options
    if isinstance(value, ModuleRef):
        return value.bound
    return isinstance(value, (Tensor, DType, Model, Instance, Container, Iterable, FunctionRef, ClassRef,
                              Device, Autocast))


class Expressions:

    def dotted(self, node) -> Optional[str]:
        return dotted_name(node)

    def const_key(self, node, frame):
        value = self.eval(node, frame)
        if isinstance(value, Const) and isinstance(value.value, (str, int)):
            return value.value
        return None

    # ------------------------------------------------------------ expressions
    def eval(self, node, frame) -> Value:
        if node is None:
            return UNKNOWN
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.eval(child, frame)
            return UNKNOWN
        return method(node, frame)

    def expr_Constant(self, node, frame):
        return Const(node.value)

    def expr_Name(self, node, frame):
        value = frame.lookup(node.id)
        if value is not None:
            return value
        if node.id in ("True", "False", "None"):
            return Const({"True": True, "False": False, "None": None}[node.id])
        return ModuleRef(node.id, bound=False)

    def expr_Attribute(self, node, frame):
        dotted = self.dotted(node)
        if dotted is not None:
            value = frame.lookup(dotted)
            if value is not None:
                return value
        base = self.eval(node.value, frame)
        value = self.get_attribute(base, node.attr, node)
        if value is UNKNOWN and dotted is not None and self.split_keys and node.attr in self.split_keys:
            # `cfg.use_bf16` read from nowhere known, tested elsewhere: one fact wherever it
            # goes (into a dataset's parameter, onto self), the same as its tests split on
            return Flag(("path", dotted), dotted)
        return value

    def get_attribute(self, base, attr, node=None):
        if isinstance(base, ModuleRef):
            qualified = f"{base.qualified}.{attr}"
            if qualified in DTYPE_CONSTANTS:
                dtype = DTYPE_CONSTANTS[qualified]
                return DType(dtype, Origin(node.lineno, qualified) if node is not None and dtype == BF16 else None,
                             qualified)
            return ModuleRef(qualified)
        if attr == "dtype" and not (
            (isinstance(base, Instance) and attr in base.attrs) or (isinstance(base, Container) and attr in base.items)
            or (isinstance(base, Instance) and base.cls is not None and attr in base.cls.attrs)
            or (isinstance(base, ClassRef) and attr in base.attrs)
        ):
            if isinstance(base, Tensor):
                return DType(base.dtype, base.origin)
            # model.dtype, next(model.parameters()).dtype, self.proj.weight.dtype: the
            # dtype of some weights, which is what the input must match.
            return DType(OTHER)
        if isinstance(base, DType):
            return self.dtype_fact(base, attr)
        if isinstance(base, Tensor):
            if attr == "itemsize":
                return self.dtype_fact(DType(base.dtype), attr)
            if attr in TENSOR_NON_TENSOR_ATTRS:
                return UNKNOWN
            return base
        if isinstance(base, Instance):
            if attr in base.attrs:
                return base.attrs[attr]
            if attr in ("module", "_orig_mod"):  # DDP(model).module, torch.compile(model)._orig_mod
                return base
            if base.cls is not None:
                if attr in base.cls.methods:
                    return FunctionRef(base.cls.methods[attr], base)
                if attr in base.cls.attrs:
                    return base.cls.attrs[attr]
            return UNKNOWN
        if isinstance(base, ClassRef):
            if attr in base.methods:
                return FunctionRef(base.methods[attr], None)
            return base.attrs.get(attr, UNKNOWN)
        if isinstance(base, Container):
            return base.items.get(attr, UNKNOWN)
        if isinstance(base, Model):
            if attr in ("module", "_orig_mod") or not attr.startswith("_"):
                return base  # a sub-module of a backbone is still part of the backbone
        if isinstance(base, Device) and attr == "type":
            return base
        return UNKNOWN

    @staticmethod
    def dtype_fact(dtype: DType, attr: str) -> Value:
        """`dtype.is_floating_point`, `dtype.itemsize`, `x.element_size()`: decided when
        the dtype is known."""
        known = dtype_facts(dtype.dtype, dtype.name)
        if known is None:
            return UNKNOWN
        if attr == "is_floating_point":
            return Const(known[0])
        if attr in ("itemsize", "element_size"):
            return Const(known[1])
        return UNKNOWN

    def expr_Subscript(self, node, frame):
        base = self.eval(node.value, frame)
        if isinstance(base, ModuleRef):
            return base  # sam_model_registry["vit_h"] builds like sam_model_registry
        key = self.const_key(node.slice, frame)
        if isinstance(base, Container):
            if key is not None:
                return base.get(key)
            if base.kind == "dict":
                values = list(base.items.values())
                if values and all(isinstance(v, Const) for v in values):
                    return Choice(tuple(v.value for v in values))  # CHECKPOINTS[args.arch]
                if values and all(isinstance(v, DType) for v in values):
                    # DTYPES[args.mixed_precision]: any of them, bf16 among them.
                    result = UNKNOWN
                    for value in values:
                        result = join(result, value, self.source.segment(node.slice))
                    return result
                return base.elem if base.elem is not UNKNOWN else self.image_item(base)
            return base.elem
        if isinstance(base, Tensor):
            return base
        if isinstance(base, Instance):
            if key is not None and key in base.attrs:
                return base.attrs[key]
            return self.dataset_item(base)
        if isinstance(base, Iterable):
            return base.elem
        return UNKNOWN

    def image_item(self, container: Container) -> Value:
        for key in self.kb.image_keys:
            if key in container.items:
                return container.items[key]
        return UNKNOWN

    def expr_Dict(self, node, frame):
        out = Container("dict")
        for key_node, value_node in zip(node.keys, node.values):
            value = self.eval(value_node, frame)
            if key_node is None:  # {**other}
                if isinstance(value, Container):
                    out.items.update(value.items)
                continue
            key = self.const_key(key_node, frame)
            if key is not None:
                out.items[key] = value
                out.key_text[key] = self.source.segment(key_node)
        return out

    def expr_Tuple(self, node, frame):
        out = Container("tuple" if isinstance(node, ast.Tuple) else "list")
        for index, element in enumerate(node.elts):
            out.items[index] = self.eval(element, frame)
        values = list(out.items.values())
        if values and all(v is values[0] for v in values):
            out.elem = values[0]
        elif any(isinstance(v, Tensor) and v.is_bf16 for v in values):
            out.elem = next(v for v in values if isinstance(v, Tensor) and v.is_bf16)
        return out

    expr_List = expr_Tuple
    expr_Set = expr_Tuple

    def expr_BinOp(self, node, frame):
        return self.arith(self.eval(node.left, frame), self.eval(node.right, frame))

    def arith(self, left, right):
        if isinstance(left, Container) and isinstance(right, Container) and left.kind in ("list", "tuple") \
                and right.kind in ("list", "tuple"):
            return containers.concat(left, right)
        if isinstance(left, Tensor) and isinstance(right, Tensor):
            return self.promote(left, right)
        if isinstance(left, Tensor):
            return self.promote_with(left, right)
        if isinstance(right, Tensor):
            return self.promote_with(right, left)
        return UNKNOWN

    def promote_with(self, tensor, other):
        if isinstance(other, Const) and isinstance(other.value, (int, float, bool)):
            return tensor  # a Python scalar never changes a tensor's dtype
        if isinstance(other, Tensor):
            return self.promote(tensor, other)
        # Unknown operand: it may be a float32 tensor (mean/std); do not claim bf16.
        return Tensor(UNKNOWN_DTYPE) if tensor.is_bf16 else tensor

    def promote(self, a, b):
        if a.is_bf16 and b.is_bf16:
            return a
        if a.is_bf16:
            return a if b.scalar else Tensor(b.dtype)
        if b.is_bf16:
            return b if a.scalar else Tensor(a.dtype)
        return a if a.dtype == b.dtype else Tensor(UNKNOWN_DTYPE)

    def expr_UnaryOp(self, node, frame):
        operand = self.eval(node.operand, frame)
        if isinstance(node.op, ast.Not):
            truth = self.truth(operand)
            if truth is None and isinstance(operand, Flag):
                return operand.negate()
            return Const(not truth) if truth is not None else UNKNOWN
        return operand if isinstance(operand, (Tensor, Const)) else UNKNOWN

    def expr_BoolOp(self, node, frame):
        values = [self.eval(v, frame) for v in node.values]
        truths = [self.branch_truth(v, n) for v, n in zip(values, node.values)]
        if isinstance(node.op, ast.And):
            if any(t is False for t in truths):
                return Const(False)
            if all(t is True for t in truths):
                return values[-1]
        else:
            for value, truth in zip(values, truths):
                if truth is True:
                    return value
                if truth is None:
                    break
            else:
                return values[-1]
        result = values[0]
        for value in values[1:]:
            result = join(result, value)
        if isinstance(result, Const):
            return UNKNOWN
        return result

    def expr_Compare(self, node, frame):
        left = self.eval(node.left, frame)
        rights = [self.eval(c, frame) for c in node.comparators]
        if len(rights) != 1:
            return UNKNOWN
        right, op = rights[0], node.ops[0]
        decided = self.compare_dtypes(left, right, op)
        if decided is not None:
            return decided
        if isinstance(op, (ast.Is, ast.IsNot)) and (_is_none(left) or _is_none(right)):
            # `dtype is not None` with a dtype passed in: decided, not a path to split on
            other = right if _is_none(left) else left
            if _never_none(other):
                return Const(isinstance(op, ast.IsNot))
        if isinstance(left, Const) and isinstance(right, Const):
            try:
                a, b = left.value, right.value
                result = {
                    ast.Eq: lambda: a == b, ast.NotEq: lambda: a != b, ast.Is: lambda: a is b,
                    ast.IsNot: lambda: a is not b, ast.In: lambda: a in b, ast.NotIn: lambda: a not in b,
                    ast.Lt: lambda: a < b, ast.LtE: lambda: a <= b, ast.Gt: lambda: a > b,
                    ast.GtE: lambda: a >= b,
                }[type(op)]()
                return Const(bool(result))
            except Exception:
                return UNKNOWN
        if isinstance(left, Flag) or isinstance(right, Flag) or (
                left is UNKNOWN and paths.dotted_text(node.left) is not None and isinstance(right, (Const, Container))):
            # `precision in ("bf16", "bf16-mixed")`, `args.precision == "bf16"`: one fact per test.
            operand = left if isinstance(left, Flag) else right if isinstance(right, Flag) else None
            key = ("compare", operand.key if operand is not None else paths.dotted_text(node.left),
                   ast.dump(node) if operand is None else id(node))
            return Flag(key, self.source.segment(node), operand.home if operand is not None else None)
        if isinstance(left, Const) and isinstance(right, Container) and isinstance(op, (ast.In, ast.NotIn)):
            keys = set(right.items) if right.kind == "dict" else {
                v.value for v in right.items.values() if isinstance(v, Const)
            }
            if left.value in keys:
                return Const(isinstance(op, ast.In))
            # Absent from the known keys: decided only when no key is unknown.
            if right.elem is UNKNOWN and (right.kind == "dict" or len(keys) == len(right.items)):
                return Const(not isinstance(op, ast.In))
        # Undecided: the same comparison written twice is one fact (`"--compact" in sys.argv`).
        return Flag(("compare", ast.dump(node)), self.source.segment(node))

    def compare_dtypes(self, left, right, op) -> Optional[Value]:
        """`x.dtype == torch.bfloat16`, `x.dtype != torch.float32`, `x.dtype in (...)`: a
        known tensor dtype decides the test, so a guarded cast is understood."""
        if isinstance(right, DType) and not isinstance(left, DType):
            left, right = right, left  # `torch.bfloat16 == x.dtype`
        if not (isinstance(left, DType) and self.decidable_dtype(left)):
            return None
        if isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)) and isinstance(right, DType) \
                and self.decidable_dtype(right):
            same = self.same_dtype(left, right)
            return Const(same if isinstance(op, (ast.Eq, ast.Is)) else not same)
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, Container):
            dtypes = [v for v in right.items.values()]
            if dtypes and all(isinstance(v, DType) and self.decidable_dtype(v) for v in dtypes):
                inside = any(self.same_dtype(left, v) for v in dtypes)
                return Const(inside if isinstance(op, ast.In) else not inside)
        return None

    @staticmethod
    def decidable_dtype(dtype: DType) -> bool:
        """A dtype whose identity is known: a tracked class, or an exact torch constant
        (`torch.int64`; OTHER alone may be a model's dtype, which may be anything)."""
        return dtype.dtype in (BF16, FP32, FP16) or (dtype.dtype == OTHER and dtype.name in DTYPE_CONSTANTS)

    @staticmethod
    def same_dtype(a: DType, b: DType) -> bool:
        if a.dtype == OTHER and b.dtype == OTHER:
            return canonical_dtype(a.name) == canonical_dtype(b.name)
        return a.dtype == b.dtype

    def expr_IfExp(self, node, frame):
        decided = self.branch_truth(self.eval(node.test, frame), node.test)
        condition = self.source.segment(node.test)
        if decided is not None:
            chosen = self.eval(node.body if decided else node.orelse, frame)
            if isinstance(chosen, DType) and chosen.dtype == BF16:
                # Name the flag even when its value is known: it is what the user changes.
                origin = chosen.origin or Origin(node.lineno, "torch.bfloat16")
                return DType(BF16, origin.with_condition(condition if decided else f"not ({condition})"))
            return chosen
        body, orelse = self.eval(node.body, frame), self.eval(node.orelse, frame)
        if isinstance(body, DType) and body.dtype == BF16 and isinstance(orelse, DType) and orelse.dtype != BF16:
            return DType(BF16, (body.origin or Origin(node.lineno, "torch.bfloat16")).with_condition(condition))
        if isinstance(orelse, DType) and orelse.dtype == BF16 and isinstance(body, DType) and body.dtype != BF16:
            return DType(BF16, (orelse.origin or Origin(node.lineno, "torch.bfloat16")).with_condition(f"not ({condition})"))
        return join(body, orelse, condition)

    def expr_NamedExpr(self, node, frame):
        value = self.eval(node.value, frame)
        self.assign(node.target, value, frame, self.current_stmt)
        return value

    def expr_Lambda(self, node, frame):
        return FunctionRef(node, None, frame)

    def expr_Await(self, node, frame):
        return self.eval(node.value, frame)

    def expr_Yield(self, node, frame):
        frame.yields.append(self.eval(node.value, frame) if node.value is not None else Const(None))
        return UNKNOWN

    def expr_YieldFrom(self, node, frame):
        frame.yields.append(self.iter_elem(self.eval(node.value, frame)))
        return UNKNOWN

    def expr_Starred(self, node, frame):
        return self.eval(node.value, frame)

    def expr_JoinedStr(self, node, frame):
        """f"microsoft/resnet-{DEPTH}": known when every part is."""
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                inner = self.eval(value.value, frame)
                if not isinstance(inner, Const) or value.format_spec is not None or value.conversion not in (-1, 115):
                    return UNKNOWN
                parts.append(str(inner.value))
            else:
                part = self.eval(value, frame)
                if not isinstance(part, Const):
                    return UNKNOWN
                parts.append(str(part.value))
        return Const("".join(parts))

    def branch_truth(self, value, node) -> Optional[bool]:
        """The truth of a tested value; an undecided flag tested elsewhere too splits the
        path (paths.py) instead of letting both branches join."""
        decided = self.truth(value)
        if decided is not None:
            return decided
        flag = value if isinstance(value, Flag) else None
        text = paths.dotted_text(node)
        if flag is None and value is UNKNOWN and text is not None:
            flag = Flag(("path", text), text)  # an attribute or name read from nowhere known
            if flag.key in self.assumptions:
                return self.assumptions[flag.key][0]
        if flag is None or flag.key in self.assumptions:
            return None
        if not self.split_keys or paths.coarse_key(node) not in self.split_keys or len(self.assumptions) >= paths.MAX_ASSUMPTIONS \
                or self.forks >= paths.MAX_FORKS or not self.top_homes:
            return None
        raise SplitRequest(flag, self.source.segment(node) if not flag.negated else flag.text)

    def decided(self, value, node) -> Optional[bool]:
        """The truth of a value on this path, split on or not: never splits."""
        truth = self.truth(value)
        text = paths.dotted_text(node)
        if truth is None and value is UNKNOWN and text is not None and ("path", text) in self.assumptions:
            return self.assumptions["path", text][0]
        return truth

    def truth(self, value) -> Optional[bool]:
        if isinstance(value, Flag):
            assumed = self.assumptions.get(value.key)
            return None if assumed is None else assumed[0] != value.negated
        if isinstance(value, Const):
            try:
                return bool(value.value)
            except Exception:
                return None
        return None

    # ---------------------------------------------------------- comprehensions
    def comp_frame(self, frame):
        child = Frame(frame.scope, frame, {}, {}, frame.autocast, frame.loops, frame.is_method,
                      frame.returns, frame.yields, frame.hits)
        return child

    def expr_DictComp(self, node, frame):
        generator = node.generators[0]
        source_node = generator.iter
        # {k: f(v) for k, v in batch.items()}: apply f to each known item, so the image
        # keeps its dtype and the labels keep theirs.
        if (
            len(node.generators) == 1
            and isinstance(source_node, ast.Call)
            and isinstance(source_node.func, ast.Attribute)
            and source_node.func.attr == "items"
            and isinstance(generator.target, ast.Tuple)
            and len(generator.target.elts) == 2
        ):
            source = self.eval(source_node.func.value, frame)
            if isinstance(source, Container):
                out = Container("dict", key_text=dict(source.key_text))
                for key, item in list(source.items.items()) + [(None, source.elem)]:
                    child = self.comp_frame(frame)
                    key_value = Const(key) if key is not None else UNKNOWN
                    self.assign(generator.target.elts[0], key_value, child, None)
                    self.assign(generator.target.elts[1], item, child, None)
                    if any(self.branch_truth(self.eval(cond, child), cond) is False for cond in generator.ifs):
                        continue
                    value = self.eval(node.value, child)
                    if key is None:
                        out.elem = value if item is not UNKNOWN else UNKNOWN
                    else:
                        out.items[key] = value
                return out
        child = self.bind_generators(node.generators, frame)
        self.eval(node.key, child)
        return Container("dict", elem=self.eval(node.value, child))

    def bind_generators(self, generators, frame):
        child = self.comp_frame(frame)
        for generator in generators:
            source = self.eval(generator.iter, child)
            self.assign(generator.target, self.iter_elem(source), child, None)
            for cond in generator.ifs:
                self.eval(cond, child)
        return child

    def expr_ListComp(self, node, frame):
        child = self.bind_generators(node.generators, frame)
        return Container("list", elem=self.eval(node.elt, child))

    expr_SetComp = expr_ListComp
    expr_GeneratorExp = expr_ListComp

    # ---------------------------------------------------------------- iteration
    def iter_elem(self, value) -> Value:
        if isinstance(value, Iterable):
            return value.elem
        if isinstance(value, Container):
            if value.kind == "dict":
                return UNKNOWN
            if value.elem is not UNKNOWN:
                return value.elem
            result = UNKNOWN
            for item in value.items.values():
                result = join(result, item)
            return result
        if isinstance(value, Tensor):
            return value
        if isinstance(value, Instance):
            return self.dataset_item(value)
        return UNKNOWN

    def dataset_item(self, instance: Instance) -> Value:
        """What indexing or iterating an object of a user class yields."""
        cls = instance.cls
        if cls is None:
            return UNKNOWN
        # one item per path: a flag the item depends on may be decided differently there
        cache_key = f"__bf16lint_item__{hash(frozenset(self.assumptions.items()))}" if self.assumptions \
            else "__bf16lint_item__"
        if cache_key in instance.attrs:
            return instance.attrs[cache_key]
        instance.attrs[cache_key] = UNKNOWN  # recursion guard
        result = UNKNOWN
        try:
            if "__getitem__" in cls.methods:
                result = self.call_function(FunctionRef(cls.methods["__getitem__"], instance), None,
                                            [UNKNOWN], {}, Frame(self.tree))
            elif "__iter__" in cls.methods:
                result = self.iter_elem(
                    self.call_function(FunctionRef(cls.methods["__iter__"], instance), None, [], {}, Frame(self.tree))
                )
        except SplitRequest:
            del instance.attrs[cache_key]  # the path splits above: this item is asked for again
            raise
        instance.attrs[cache_key] = result
        return result
