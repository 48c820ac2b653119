"""An abstract interpreter over stdlib ``ast``: it runs the code in its head.

It walks statements in order, as Python would, keeping for every name an abstract value
(values.py): bf16 tensors with their origin, dict/tuple batches, data loaders, backbone
models, autocast scopes. Calls into functions and classes of the same file are
interpreted with their arguments bound (a wrapper's ``forward``, a Dataset's
``__getitem__``, a ``train(model, loader)`` helper); what is never called is interpreted
on its own with unknown arguments. When a bf16 tensor reaches a float32 backbone, it
records a Hit; rules/ turns hits into findings.

Nothing is imported or executed: only the syntax tree is read.
"""
from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import configvalues, containers, heap, paths, transforms
from .heap import Trail
from .paths import Flag, PathEnd, SplitRequest
from .checks import BackboneChecks, Hit
from .library import LIGHTNING_LOOPS, LibraryCalls, LightningTrainer, ModelParameter
from .knowledge.calls import (
    TENSOR_NON_TENSOR_ATTRS,
    TENSOR_NON_TENSOR_METHODS,
    KNOWN_MODULE_ROOTS,
    UNBOUND_TENSOR_METHODS,
    is_module_class,
)
from . import knowledge as kb
from .knowledge import Knowledge
from .knowledge.dtypes import DTYPE_CONSTANTS, canonical as canonical_dtype, facts as dtype_facts
from .scopes import Parents, SourceMap, dotted_name, function_defs
from ..fixes.planner import FixPlanner
from .values import MISSING, dtype_parts, dtype_union
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
    Super,
    Tensor,
    Value,
    device_kind,
    is_device_string,
    join,
)

MAX_DEPTH = 8
MAX_UNROLL = 8  # a for loop over at most this many known items runs once per item
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


def c3_tail(bases) -> tuple:
    """The classes after a new class in its C3 linearisation (Python's method resolution
    order) from its user-class bases; an inconsistent hierarchy (a TypeError at run time)
    falls back to the bases depth-first, left to right."""
    sequences = [[base, *base.mro] for base in bases] + [list(bases)]
    order = []
    while True:
        sequences = [seq for seq in sequences if seq]
        if not sequences:
            return tuple(order)
        for seq in sequences:
            head = seq[0]
            if not any(head in other[1:] for other in sequences):
                break
        else:
            seen = list(order)
            for base in bases:
                for klass in (base, *base.mro):
                    if klass not in seen:
                        seen.append(klass)
            return tuple(seen)
        order.append(head)
        sequences = [seq[1:] if seq[0] is head else seq for seq in sequences]


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


_Stop = PathEnd  # a block ended early (return, raise, break, continue)


class Interpreter(LibraryCalls, BackboneChecks):
    def __init__(self, tree: ast.Module, lines: List[str], knowledge: Knowledge = kb.DEFAULT_KNOWLEDGE,
                 resolver=None):
        self.tree = tree
        # Project mode (bf16lint.project): imports of the user's own modules, their source text.
        self.resolver = resolver
        self.source = resolver.source_map(lines) if resolver is not None else SourceMap(lines)
        self.parents = Parents(tree)
        self.kb = knowledge
        self.steps = 0
        self.steps_before = 0  # self.steps when the running module-level statement began
        self.switch_defaults: Dict[str, Value] = {}  # argparse store_true/false dest -> its default
        self.depth = 0
        self.active: List[ast.AST] = []
        self.interpreted = set()
        self.devices = set()  # kinds of devices the program picks ("runtime" when chosen at run time)
        self.default_dtype = FP32
        self.hits: List[Hit] = []
        self.instances: Dict[ast.ClassDef, Instance] = {}
        self.class_refs: Dict[ast.ClassDef, ClassRef] = {}
        self._autocast_in_loop: Dict[ast.AST, List[ast.With]] = {}
        self.module_frame = Frame(tree)
        self.stmt_stack: List[ast.stmt] = []
        self.low_precision_inputs = set()  # (scope, name) passed to a model cast to bf16/fp16
        self.assumptions: Dict[object, Tuple[bool, str]] = {}  # flag key -> (value, how it reads)
        self.split_keys = None  # coarse keys of the tests the program makes twice or more
        self.top_homes: List[object] = []  # homes of the bodies running now, outermost first
        self.forks = 0
        self.trail = Trail()  # writes to objects, so a branch can be undone and paths joined
        self.model_dtypes_at: Dict[int, set] = {}  # id(call) -> backbone dtypes seen there, all paths

    # ------------------------------------------------------------------ driver
    def run(self) -> List[Hit]:
        self.split_keys = {k for k, n in paths.tested_twice(self.tree, self.kb.bf16_flags).items() if n >= 2}
        try:
            self.exec_top(self.tree.body, self.module_frame)
        except _Stop:
            pass  # a top-level raise, sys.exit() or `assert False`: that path ends there
        self.finish_frame(self.module_frame)
        self.run_uncalled_functions()
        self.plan_fixes()
        return self.hits

    def plan_fixes(self) -> None:
        """Fixes are planned once every consumer of every tensor has been seen."""
        planner = FixPlanner(self.parents, self.source, {id(hit.call) for hit in self.hits},
                             self.low_precision_inputs)
        for hit in self.hits:
            # A call that meets a bf16 backbone on another path: `.float()` would crash that
            # path the other way; only a cast to the weights' dtype fits both.
            mixed = hit.mixed_weights = hit.mixed_weights or len(self.model_dtypes_at.get(id(hit.call), ())) > 1
            float32 = hit.weights == "float32" and not mixed
            if hit.site is not None and hit.fix is None and float32:
                hit.fix, hit.unsafe_fix = planner.plan(hit.site)
            if hit.wrap_model is not None:
                hit.wrap_fix = planner.plan_wrap(hit.wrap_model)
            if hit.fix is None and not float32 and hit.site is not None and isinstance(hit.call, ast.Call):
                # .float() would crash float16 weights (or the path with bf16 weights) the
                # other way: the input takes the weights' dtype at the call (plain torch).
                func = hit.call.func
                module = func if hit.through_forward else getattr(func, "value", None)
                hit.fix = planner.cast_to_weights(hit.site, module)
            if hit.fix is None and hit.through_forward:
                # Some inputs have no text to cast (`model(*inputs)`) and a dict batch cannot
                # take the weights' dtype at the call: the wrap casts every input to the
                # weights' dtype where the model is built.
                hit.fix = hit.wrap_fix

    def run_uncalled_functions(self) -> None:
        """Functions and methods no call in this file reached are still checked, with
        unknown arguments: their own evidence may be enough (a loop that builds its model)."""
        for node, owner in function_defs(self.tree.body):
            if isinstance(node, ast.ClassDef) or node in self.interpreted:
                continue
            if owner is not None:
                instance = self.standalone_instance(owner)
                if node in self.interpreted:  # __init__ just ran for the instance
                    continue
                self.call_function(FunctionRef(node, instance), None, [], {}, Frame(self.tree))
            else:
                self.call_function(FunctionRef(node), None, [], {}, Frame(self.tree))

    def standalone_instance(self, cls_node: ast.ClassDef) -> Instance:
        if cls_node in self.instances:
            return self.instances[cls_node]
        cls = self.class_refs.get(cls_node) or self.make_class(cls_node, self.module_frame)
        return self.instantiate(cls, None, [], {}, Frame(self.tree))

    # -------------------------------------------------------------- statements
    def exec_top(self, stmts, frame: Frame) -> None:
        """Run a module or function body: the block that owns the flags born in it. A split
        on one of them (or on a flag from nowhere, at the outermost body) runs the rest of
        the body once per value of the flag, from the state before the statement that asked."""
        self.top_homes.append(frame.home)
        try:
            for index, stmt in enumerate(stmts):
                if frame is self.module_frame:
                    self.steps_before = self.steps
                snapshot = (_snapshot_of(frame.env), _snapshot_of(frame.bind), frame.autocast, self.trail.mark())
                try:
                    self.exec_stmt(stmt, frame)
                except SplitRequest as split:
                    home = split.flag.home
                    outermost = self.top_homes[0] is frame.home
                    if snapshot is None or not (home is frame.home or (outermost and home not in self.top_homes)):
                        raise
                    return self.fork(split, stmts[index:], frame, snapshot)
        finally:
            self.top_homes.pop()

    def fork(self, split: SplitRequest, stmts, frame: Frame, snapshot) -> None:
        self.forks += 1
        ends = []
        key = split.flag.key
        mark = snapshot[3]
        snapshot = (_restore(snapshot[0]), _restore(snapshot[1])) + snapshot[2:]
        for value in (False, True):
            # Each path runs in this very frame (functions and closures defined in it look
            # their globals up here), from the state before the asking statement.
            self.trail.undo(mark)
            frame.env, frame.bind, frame.autocast = Env(snapshot[0]), Env(snapshot[1]), snapshot[2]
            self.assumptions[key] = (value != split.flag.negated, split.text if not split.flag.negated
                                     else split.flag.text)
            try:
                try:
                    self.exec_top(stmts, frame)
                    stopped = False
                except _Stop:
                    stopped = True
            finally:
                del self.assumptions[key]
            ends.append((Frame(frame.scope, env=frame.env, bind=frame.bind), stopped, self.trail.take(mark)))
        frame.autocast = snapshot[2]
        (off, off_stopped, off_writes), (on, on_stopped, on_writes) = ends
        frame.env, frame.bind = Env(snapshot[0]), Env(snapshot[1])  # drop the asking statement's partial writes
        if off_stopped and on_stopped:
            frame.adopt(on)
            # both paths leave (a return): the objects they wrote go on as either left them
            self.trail.meet([on_writes, off_writes], self.slot_joiner(split.flag.text))
            raise _Stop()
        if on_stopped or off_stopped:
            frame.adopt(off if on_stopped else on)
            self.trail.replay(off_writes if on_stopped else on_writes)
        else:
            frame.merge(on, off, split.flag.text)
            self.trail.meet([on_writes, off_writes], self.slot_joiner(split.flag.text))

    def exec_block(self, stmts, frame: Frame) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, frame)

    def exec_stmt(self, stmt: ast.stmt, frame: Frame) -> None:
        self.steps += 1
        method = getattr(self, "stmt_" + type(stmt).__name__, None)
        if method is not None:
            self.stmt_stack.append(stmt)
            try:
                method(stmt, frame)
            finally:
                self.stmt_stack.pop()

    @property
    def current_stmt(self) -> Optional[ast.stmt]:
        """The statement being executed: the one that holds the expression at hand."""
        return self.stmt_stack[-1] if self.stmt_stack else None

    def stmt_Expr(self, stmt, frame):
        self.eval(stmt.value, frame)

    def stmt_Assign(self, stmt, frame):
        value = self.eval(stmt.value, frame)
        for target in stmt.targets:
            self.assign(target, value, frame, stmt)

    def stmt_AnnAssign(self, stmt, frame):
        if stmt.value is not None:
            self.assign(stmt.target, self.eval(stmt.value, frame), frame, stmt)

    def stmt_AugAssign(self, stmt, frame):
        current = self.eval(stmt.target, frame)
        operand = self.eval(stmt.value, frame)
        if isinstance(current, Tensor):
            # In-place arithmetic keeps the tensor's own dtype (x -= mean_fp32 stays bf16).
            return
        if isinstance(current, Container) and isinstance(stmt.op, ast.Add) and current.kind == "list":
            # views += [...] / views += other: extends the list in place.
            added = operand if isinstance(operand, Container) else Container("list", elem=self.iter_elem(operand))
            updated = containers.concat(current, added)
            if isinstance(stmt.target, ast.Name):
                self.assign(stmt.target, updated, frame, stmt)
            else:
                self.rebind(stmt.target, current, updated, frame)
            return
        self.assign(stmt.target, self.arith(current, operand), frame, stmt)

    def stmt_If(self, stmt, frame):
        tested = self.eval(stmt.test, frame)
        decided = self.branch_truth(tested, stmt.test)
        assumed = self.assumptions.get(("branch", id(stmt.test)))
        if assumed is not None:  # this test split the path (its branches cast a model)
            decided = assumed[0]
        if decided is True:
            return self.exec_block(stmt.body, frame)
        if decided is False:
            return self.exec_block(stmt.orelse, frame)
        self.run_branches(frame, stmt.body, stmt.orelse, self.source.segment(stmt.test), stmt.test, tested)

    def run_branches(self, frame, body, orelse, condition, test=None, tested=None):
        then_frame, else_frame = frame.branch(), frame.branch()
        if test is not None:
            self.narrow_key_absent(test, else_frame)
        mark = self.trail.mark()
        then_done = self.exec_guarded(body, then_frame)
        then_writes = self.trail.take(mark)
        else_done = self.exec_guarded(orelse, else_frame)
        else_writes = self.trail.take(mark)
        if then_done and not else_done:
            frame.adopt(else_frame)
            self.trail.replay(else_writes)
        elif else_done and not then_done:
            frame.adopt(then_frame)
            self.trail.replay(then_writes)
        else:
            if test is not None and not then_done:
                self.split_if_models_differ(test, condition, [then_writes, else_writes], tested)
            frame.merge(then_frame, else_frame, condition)
            self.trail.meet([then_writes, else_writes], self.slot_joiner(condition))

    def split_if_models_differ(self, test, condition, paths_writes, tested=None) -> None:
        """A model cast on one branch only: the paths stay apart for the rest of the body
        (as for a flag tested twice), so a tensor cast under the same test meets the model
        cast under it, and the path without either cast is its own path. A flag with an
        identity (a parameter bound to `args.bf16`) splits where it was born, so a caller
        that casts its input under the same flag is on the same paths."""
        if not any(True for _ in heap.differing_fields(paths_writes, "dtype")):
            return
        if not self.top_homes or len(self.assumptions) >= paths.MAX_ASSUMPTIONS or self.forks >= paths.MAX_FORKS:
            return
        if isinstance(tested, Flag) and tested.key not in self.assumptions:
            raise SplitRequest(tested, condition if not tested.negated else tested.text)
        raise SplitRequest(Flag(("branch", id(test)), condition, home=self.top_homes[-1]), condition)

    def slot_joiner(self, condition: str):
        otherwise = f"not ({condition})" if condition else ""

        def join_slot(obj, key, a, b):
            if a is heap.ABSENT or b is heap.ABSENT:
                return b if a is heap.ABSENT else a
            if isinstance(obj, Model) and key == "dtype":
                return dtype_union(a, b)
            if isinstance(a, dict) and isinstance(b, dict):  # a container's items, replaced in place
                return {k: join(a.get(k, UNKNOWN), b.get(k, UNKNOWN), condition, otherwise) for k in {**a, **b}}
            if isinstance(a, Value) and isinstance(b, Value):
                return join(a, b, condition, otherwise)
            if isinstance(obj, Container) and key == "kind":
                return "any"
            return a if b is None else b if a is None else a
        return join_slot

    def narrow_key_absent(self, test, frame) -> None:
        """On the path where `"image" in batch` is false, `batch["image"]` does not exist:
        what that path would read there is nothing (a KeyError), not the old value. For
        `a and "image" in batch` with `a` decided true, the same holds."""
        operands = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
        undecided = [o for o in operands if self.decided(self.eval(o, frame), o) is not True]
        if len(undecided) != 1:
            return
        check = undecided[0]
        if not (isinstance(check, ast.Compare) and len(check.ops) == 1 and isinstance(check.ops[0], ast.In)
                and isinstance(check.left, ast.Constant) and isinstance(check.comparators[0], ast.Name)):
            return
        container = frame.lookup(check.comparators[0].id)
        if isinstance(container, Container):
            narrowed = container.copy()
            narrowed.items[check.left.value] = MISSING
            frame.env[check.comparators[0].id] = narrowed

    def exec_guarded(self, stmts, frame) -> bool:
        """Run a block; True when it ended early (return/raise/continue/break)."""
        try:
            self.exec_block(stmts, frame)
        except _Stop:
            return True
        return False

    def stmt_For(self, stmt, frame):
        source = self.eval(stmt.iter, frame)
        if isinstance(source, Container) and source.kind in ("list", "tuple") and source.elem is UNKNOWN \
                and 0 < len(source.items) <= MAX_UNROLL and all(isinstance(k, int) for k in source.items):
            return self.unrolled_loop(stmt, frame, [source.items[k] for k in sorted(source.items)])
        elem = self.iter_elem(source)
        self.run_loop(stmt, frame, lambda body: self.assign(stmt.target, elem, body, stmt, kind="body_start"))

    stmt_AsyncFor = stmt_For

    def stmt_While(self, stmt, frame):
        self.eval(stmt.test, frame)
        self.run_loop(stmt, frame, lambda body: None)

    def unrolled_loop(self, stmt, frame, items):
        """`for step in self.steps` over a few known objects: each in order, as Python
        runs them (joining them would keep only one step of a pipeline)."""
        saved = frame.loops
        frame.loops = frame.loops + (stmt,)
        try:
            for item in items:
                self.assign(stmt.target, item, frame, stmt, kind="body_start")
                self.exec_guarded(stmt.body, frame)
        finally:
            frame.loops = saved
        self.exec_guarded(stmt.orelse, frame)

    def run_loop(self, stmt, frame, bind_target):
        """Run the body once; when it turned something bf16 that the next iteration sees
        (`x = x.bfloat16()` after the call), run it a second time from the joined state."""
        start = frame.branch()
        touched = set()
        for iteration in range(2):
            body = start.branch()
            body.loops = frame.loops + (stmt,)
            bind_target(body)
            # The objects after the loop are as an iteration left them: a loop that casts
            # each model of a list runs at least once (joining with the state before it
            # would report every model it cast as maybe-uncast).
            self.exec_guarded(stmt.body, body)
            body.loops = frame.loops
            merged = start.branch()
            merged.merge(start, body, "")  # start is only read here
            touched |= _changed(merged.env, merged.bind)
            if iteration == 1 or not self.became_bf16(start, merged):
                break
            start = merged
        frame.adopt(merged, touched)
        self.exec_guarded(stmt.orelse, frame)

    @staticmethod
    def became_bf16(before: Frame, after: Frame) -> bool:
        for name in _changed(after.env):
            value = after.env.get(name)
            if isinstance(value, Tensor) and value.is_bf16:
                old = before.env.get(name)
                # A name first bound inside the loop is rebound before the next use.
                if old is not None and not (isinstance(old, Tensor) and old.is_bf16):
                    return True
        return False

    def stmt_With(self, stmt, frame):
        saved = frame.autocast
        for item in stmt.items:
            ctx = self.eval(item.context_expr, frame)
            if isinstance(ctx, Autocast):
                frame.autocast = frame.autocast + (ctx,)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, UNKNOWN, frame, stmt, kind="body_start")
        try:
            self.exec_block(stmt.body, frame)
        finally:
            frame.autocast = saved

    stmt_AsyncWith = stmt_With

    def stmt_Try(self, stmt, frame):
        """try/except as edges: a handler starts from the state before the try or where
        the body got to (their join); after the statement, the paths that go on meet."""
        body = frame.branch()
        mark = self.trail.mark()
        stopped = self.exec_guarded(stmt.body, body) or self.exec_guarded(stmt.orelse, body)
        body_writes = self.trail.take(mark)
        ends = [(body, stopped, body_writes)]
        for handler in stmt.handlers:
            path = frame.branch()
            path.merge(frame.branch(), body, "")
            self.trail.meet([{}, body_writes], self.slot_joiner(""))  # raised before or after the writes
            if handler.name:
                path.env[handler.name] = UNKNOWN
            stopped = self.exec_guarded(handler.body, path)
            ends.append((path, stopped, self.trail.take(mark)))
        self.meet(frame, ends)
        self.exec_block(stmt.finalbody, frame)

    stmt_TryStar = stmt_Try

    def stmt_Match(self, stmt, frame):
        """Each case is a path from the state before the match; so is 'no case matched'
        unless the last case matches anything."""
        self.eval(stmt.subject, frame)
        ends = []
        mark = self.trail.mark()
        for case in stmt.cases:
            path = frame.branch()
            stopped = self.exec_guarded(case.body, path)
            ends.append((path, stopped, self.trail.take(mark)))
        last = stmt.cases[-1].pattern if stmt.cases else None
        if not (isinstance(last, ast.MatchAs) and last.pattern is None):
            ends.append((frame.branch(), False, {}))
        self.meet(frame, ends)

    def meet(self, frame, ends) -> None:
        """Paths that went on from `frame` meet again; when none goes on, neither does this."""
        live = [(path, writes) for path, stopped, writes in ends if not stopped]
        if not live:
            frame.adopt(ends[0][0])
            self.trail.meet([writes for _path, _stopped, writes in ends], self.slot_joiner(""))
            raise _Stop()
        joined = live[0][0]
        for other, _writes in live[1:]:
            both = frame.branch()
            both.merge(joined, other, "")
            joined = both
        frame.adopt(joined)
        self.trail.meet([writes for _path, writes in live], self.slot_joiner(""))

    def stmt_Return(self, stmt, frame):
        frame.returns.append(self.eval(stmt.value, frame) if stmt.value is not None else Const(None))
        raise _Stop()

    def stmt_Raise(self, stmt, frame):
        raise _Stop()

    def stmt_Assert(self, stmt, frame):
        if self.truth(self.eval(stmt.test, frame)) is False:
            raise _Stop()  # `assert False, "..."`: nothing after it runs

    def stmt_Break(self, stmt, frame):
        raise _Stop()

    stmt_Continue = stmt_Break

    def stmt_FunctionDef(self, stmt, frame):
        closure = frame if frame.scope is not self.tree else None
        frame.env[stmt.name] = self.decorate(stmt, FunctionRef(stmt, None, closure), frame)

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def stmt_ClassDef(self, stmt, frame):
        frame.env[stmt.name] = self.decorate(stmt, self.make_class(stmt, frame), frame)

    def decorate(self, stmt, value, frame):
        """Decorators written in the analysed code run where the definition is, innermost
        first (`@register_model("dino")` puts the builder in a registry); a library
        decorator (`@torch.no_grad()`, `@dataclass`) leaves the definition as it is."""
        for decorator in reversed(stmt.decorator_list):
            if isinstance(decorator, (ast.Name, ast.Attribute)) and dotted_name(decorator) in ("staticmethod", "classmethod", "property"):
                continue
            applied = self.eval(decorator, frame)
            if not isinstance(applied, FunctionRef):
                continue
            result = self.call_function(applied, None, [value], {}, frame, hits_to_caller=False)
            if isinstance(result, (FunctionRef, ClassRef, Model, Instance)):
                value = result
        return value

    def stmt_Import(self, stmt, frame):
        for alias in stmt.names:
            found = self.resolver.import_module(alias.name, alias.asname is not None) if self.resolver else None
            if found is not None:  # a module of the user's project: its summary
                frame.env[alias.asname or alias.name.split(".")[0]] = found
            elif alias.asname:
                frame.env[alias.asname] = ModuleRef(alias.name)
            else:
                top = alias.name.split(".")[0]
                frame.env[top] = ModuleRef(top)

    def stmt_ImportFrom(self, stmt, frame):
        base = stmt.module or ""
        for alias in stmt.names:
            found = self.resolver.import_from(stmt.module, alias.name, stmt.level) if self.resolver else None
            if found is not None:  # from a module of the user's project (`*`: a dict of its exports)
                frame.env.update(found if alias.name == "*" else {alias.asname or alias.name: found})
                continue
            if alias.name == "*":
                continue
            qualified = f"{base}.{alias.name}" if base else alias.name
            if qualified in DTYPE_CONSTANTS:  # from torch import bfloat16
                dtype = DTYPE_CONSTANTS[qualified]
                origin = Origin(stmt.lineno, qualified) if dtype == BF16 else None
                frame.env[alias.asname or alias.name] = DType(dtype, origin, qualified)
                continue
            frame.env[alias.asname or alias.name] = ModuleRef(qualified)

    # ------------------------------------------------------------- assignment
    def declared_global(self, scope) -> frozenset:
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return frozenset()
        cache = self.__dict__.setdefault("_globals_of", {})
        if scope not in cache:
            cache[scope] = frozenset(name for node in ast.walk(scope) if isinstance(node, ast.Global)
                                     for name in node.names)
        return cache[scope]

    def assign(self, target, value, frame, stmt, kind="after"):
        self.note_device(target, value)
        if isinstance(target, ast.Name) and target.id in self.declared_global(frame.scope):
            # `global DTYPE` in a setup function: the module's name changes for every reader
            self.module_frame.env[target.id] = value
            self.module_frame.bind[target.id] = (stmt, kind)
        elif isinstance(target, ast.Name):
            frame.env[target.id] = value
            frame.bind[target.id] = (stmt, kind)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for index, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self.assign(element.value, UNKNOWN, frame, stmt, kind)
                    continue
                self.assign(element, self.unpack(value, index), frame, stmt, kind)
        elif isinstance(target, ast.Attribute):
            base = self.eval(target.value, frame)
            if isinstance(base, ModelParameter) and target.attr == "data" and isinstance(value, Tensor) \
                    and value.dtype in (BF16, FP16, FP32):
                # for p in model.parameters(): p.data = p.data.to(torch.bfloat16)
                if isinstance(base.owner, Model):
                    base.owner.dtype = value.dtype
                elif isinstance(base.owner, Instance):
                    self.cast_instance(base.owner, value.dtype, set())
            if isinstance(base, Instance):
                self.trail.set_item(base, "attrs", target.attr, value)
            elif isinstance(base, Container):
                self.trail.set_item(base, "items", target.attr, value)
            elif isinstance(base, Model) and isinstance(value, Model):
                pass
            dotted = self.dotted(target)
            if dotted and not isinstance(base, Instance):
                frame.env[dotted] = value
        elif isinstance(target, ast.Subscript):
            root = target.value
            key = self.const_key(target.slice, frame)
            base = self.eval(root, frame)
            if isinstance(base, Container):
                updated = containers.store(base, key, value, self.source.segment(target.slice) if key is not None else "")
                self.rebind(root, base, updated, frame)
                if isinstance(root, ast.Name):
                    frame.bind[root.id] = (stmt, kind)
            elif isinstance(base, Instance) and key is not None:
                self.trail.set_item(base, "attrs", key, value)
            elif isinstance(base, Tensor) and isinstance(key, str) and isinstance(root, ast.Name):
                # inputs["pixel_values"] = ...: what read as a tensor (a BatchFeature moved
                # with .to(dtype=...)) is a mapping; its other entries keep the cast's value.
                frame.env[root.id] = containers.store(Container("any", elem=base), key, value,
                                                      self.source.segment(target.slice))
                frame.bind[root.id] = (stmt, kind)
            elif isinstance(root, ast.Name) and base is UNKNOWN:
                # batch["pixel_values"] = ...: a batch we knew nothing about now holds this.
                frame.env[root.id] = containers.store(Container("any"), key, value,
                                                      self.source.segment(target.slice) if key is not None else "")
                frame.bind[root.id] = (stmt, kind)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, UNKNOWN, frame, stmt, kind)

    def rebind(self, where, old: Container, new: Container, frame) -> None:
        """A container changed: a name gets the new value (its other branches keep the
        old one); a container reached through an object is changed where it is held."""
        if isinstance(where, ast.Name):
            owner = frame
            while owner is not None and where.id not in owner.env:
                owner = owner.parent
            if owner is None or owner.scope is frame.scope:
                owner = frame
            # `REGISTRY[name] = fn` in a function changes the module's dict, not a local copy
            owner.env[where.id] = new
            if self.current_stmt is not None and owner is frame:  # a fix casting the name goes after this change
                frame.bind[where.id] = (self.current_stmt, "after")
        else:
            for part in ("kind", "items", "elem", "key_text"):
                self.trail.set_attr(old, part, getattr(new, part))

    def note_device(self, target, value):
        """Remember how the program picks its device (autocast for 'cuda' only protects
        a program that always runs on CUDA)."""
        if isinstance(value, Device):
            self.devices.add(value.kind)
        elif isinstance(value, Const) and is_device_string(value.value):
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")
            if "device" in name.lower():
                self.devices.add(device_kind(value.value))

    def unpack(self, value, index):
        if isinstance(value, Container):
            if value.kind == "dict":
                return UNKNOWN
            return value.get(index)
        if isinstance(value, Tensor):
            return value
        if isinstance(value, Iterable):
            return value.elem
        return UNKNOWN

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

    # -------------------------------------------------------------------- calls
    def expr_Call(self, node, frame):
        args, kwargs = self.eval_args(node, frame)
        if self.resolver is not None:  # yaml.safe_load(open(...)) of one of the project's config files
            loaded = self.resolver.config_call(self, node, frame)
            if loaded is not None:
                return loaded
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value, frame)
            if isinstance(receiver, ModuleRef) and is_module_class(receiver.qualified) and args \
                    and isinstance(args[0], (Instance, Model)):
                # nn.Module.to(self, ...): Module's own method called on the object given.
                return self.inherited_module_method(args[0], func.attr, node, args[1:], kwargs, frame)
            if isinstance(receiver, ModuleRef) and func.attr in UNBOUND_TENSOR_METHODS and (
                (not receiver.bound and "." not in receiver.qualified)
                or receiver.qualified.split(".")[0] not in KNOWN_MODULE_ROOTS
            ):
                # `images.to(torch.bfloat16)` where `images` comes from outside this code.
                return self.cast_unknown(UNKNOWN, func.attr, node, args, kwargs, frame)
            if isinstance(receiver, ModuleRef):
                return self.call_qualified(f"{receiver.qualified}.{func.attr}", node, args, kwargs, frame)
            return self.call_method(receiver, func.attr, node, args, kwargs, frame)
        callee = self.eval(func, frame)
        return self.call_value(callee, node, args, kwargs, frame)

    def eval_args(self, node, frame):
        args = []
        for arg in node.args:
            value = self.eval(arg, frame)
            if isinstance(arg, ast.Starred) and self.exact_sequence(value):
                args.extend(value.items[index] for index in range(len(value.items)))  # f(*args) of known args
                continue
            args.append(UNKNOWN if isinstance(arg, ast.Starred) and not isinstance(value, Container) else value)
        kwargs = {}
        for index, keyword in enumerate(node.keywords):
            value = self.eval(keyword.value, frame)
            kwargs[keyword.arg if keyword.arg is not None else f"**{index}"] = value
            if keyword.arg is None and isinstance(value, Container) and value.kind in ("dict", "any"):
                # .to(**to_kwargs): its known keys are keyword arguments too.
                for key, item in value.items.items():
                    if isinstance(key, str) and key not in kwargs:
                        kwargs[key] = item
        return args, kwargs

    @staticmethod
    def exact_sequence(value) -> bool:
        """A tuple whose every item is known (a function's *args): it can be spread into a call."""
        return isinstance(value, Container) and value.kind == "tuple" and value.elem is UNKNOWN \
            and set(value.items) == set(range(len(value.items)))

    def call_value(self, callee, node, args, kwargs, frame):
        if isinstance(callee, ModuleRef):
            return self.call_qualified(callee.qualified, node, args, kwargs, frame)
        if isinstance(callee, FunctionRef):
            return self.call_function(callee, node, args, kwargs, frame)
        if isinstance(callee, ClassRef):
            return self.instantiate(callee, node, args, kwargs, frame)
        if isinstance(callee, Model):
            self.check_input(node, callee, args, kwargs, frame)
            return Tensor(UNKNOWN_DTYPE)
        if isinstance(callee, Instance):
            method = self.find_method(callee, "forward") or self.find_method(callee, "__call__")
            if method is not None and node is not None and self.holds_low_precision(callee, set()):
                self.note_low_precision_inputs(node, frame)  # a wrapper cast to bf16 takes bf16
            if method is not None:
                framework = callee.attrs.get("__bf16lint_autocast__")
                saved = frame.autocast
                if framework is not None:
                    frame.autocast = frame.autocast + (framework,)
                try:
                    return self.call_function(FunctionRef(method, callee), node, args, kwargs, frame)
                finally:
                    frame.autocast = saved
        if isinstance(callee, Autocast):
            return callee  # @torch.autocast(...) used as a decorator factory result
        if isinstance(callee, (transforms.Pipeline, transforms.Step)) and args:
            return self.apply_callable(callee, args[0], frame)
        if isinstance(callee, Tensor) and callee.dtype in (BF16, FP16) and node is not None:
            # Something cast to bf16/fp16 and then called is a low-precision module (a
            # student built without pretrained weights): what it takes must stay bf16.
            self.note_low_precision_inputs(node, frame)
        return UNKNOWN

    def holds_low_precision(self, instance: Instance, seen) -> bool:
        if id(instance) in seen:
            return False
        seen.add(id(instance))
        own = instance.attrs.get("__bf16lint_dtype__")
        if isinstance(own, DType) and own.dtype in (BF16, FP16):
            return True
        for value in instance.attrs.values():
            if isinstance(value, Model) and dtype_parts(value.dtype) & {BF16, FP16}:
                return True
            if isinstance(value, Instance) and self.holds_low_precision(value, seen):
                return True
        return False

    def note_low_precision_inputs(self, node, frame) -> None:
        for arg in node.args + [k.value for k in node.keywords]:
            while isinstance(arg, (ast.Subscript, ast.Attribute)):  # batch["image"]: the name is batch
                arg = arg.value
            if isinstance(arg, ast.Name):
                self.low_precision_inputs.add((frame.scope, arg.id))

    def apply_callable(self, fn, value, frame) -> Value:
        """A transform applied to a sample: pipelines step by step, user callables called."""
        if isinstance(fn, transforms.Pipeline):
            for step in fn.steps:
                value = self.apply_callable(step, value, frame)
            return value
        if isinstance(fn, transforms.Step):
            return transforms.apply_step(fn, value, lambda v, dtype: self.transform_cast(v, dtype, fn, frame))
        if isinstance(fn, (FunctionRef, Instance, ClassRef)):
            return self.call_value(fn, None, [value], {}, frame)
        return UNKNOWN if fn is not None else value

    def transform_cast(self, value, dtype, step, frame) -> Value:
        if isinstance(dtype, DType) and dtype.dtype == BF16:
            origin = dtype.origin
            why = "a transform converts it to torch.bfloat16"
            return Tensor(BF16, Origin(step.line, why, origin.condition if origin else None, None, frame.scope,
                                       origin.line if origin and origin.line != step.line else None))
        if isinstance(dtype, DType) and dtype.dtype != UNKNOWN_DTYPE:
            return Tensor(dtype.dtype)
        return Tensor(UNKNOWN_DTYPE)

    def find_method(self, instance: Instance, name: str):
        if instance.cls is None:
            return None
        return instance.cls.methods.get(name)

    def call_method(self, receiver, name, node, args, kwargs, frame):
        if isinstance(receiver, Autocast) and name in ("__enter__", "__exit__"):
            # torch.autocast(...).__enter__() at the top of a notebook: on for what follows.
            if name == "__enter__":
                frame.autocast = frame.autocast + (receiver,)
            elif frame.autocast:
                frame.autocast = frame.autocast[:-1]
            return UNKNOWN
        if isinstance(receiver, LightningTrainer):
            return self.run_lightning_loop(receiver, name, args, kwargs, frame) if name in LIGHTNING_LOOPS else UNKNOWN
        if name == "enter_context" and args and isinstance(args[0], Autocast):
            # ExitStack.enter_context(torch.autocast(...)): on until the stack's `with` ends
            frame.autocast = frame.autocast + (args[0],)
            return UNKNOWN
        if isinstance(receiver, Super):
            if name in receiver.methods:
                return self.call_function(FunctionRef(receiver.methods[name], receiver.instance), node, args, kwargs,
                                          frame, hits_to_caller=False)
            if receiver.module_base:  # super().to(*args, **kwargs) in an override reaches nn.Module.to
                return self.module_builtin(receiver.instance, name, node, args, kwargs, frame)
            return UNKNOWN
        if name in ("setup", "setup_module", "setup_dataloaders") and not isinstance(receiver, (Tensor, Instance)) \
                and args and isinstance(args[0], (Model, Instance, Iterable)):
            # Lightning Fabric: fabric.setup(model, optimizer) gives the same objects back.
            self.mark_framework_autocast(receiver, args)
            return args[0] if len(args) == 1 else Container("tuple", dict(enumerate(args)))
        if name == "autocast" and not isinstance(receiver, (Tensor, Container)):
            # accelerator.autocast(), fabric.autocast(): the framework picks the device.
            return Autocast("accelerator", True, node.lineno)
        if isinstance(receiver, configvalues.ArgParser):
            result = configvalues.parser_method(receiver, name, args, kwargs)
            self.switch_defaults.update(receiver.switch_defaults)  # an autocast's enabled= reads them
            return result
        if isinstance(receiver, Tensor):
            return self.tensor_method(receiver, name, node, args, kwargs, frame)
        if isinstance(receiver, Model):
            return self.model_method(receiver, name, node, args, kwargs, frame)
        if isinstance(receiver, Instance):
            if name in receiver.attrs:  # self.backbone(x): call what the attribute holds
                return self.call_value(receiver.attrs[name], node, args, kwargs, frame)
            method = self.find_method(receiver, name)
            if method is not None:
                return self.call_function(FunctionRef(method, receiver), node, args, kwargs, frame)
            return self.module_builtin(receiver, name, node, args, kwargs, frame)
        if isinstance(receiver, Container):
            if name == "get" and args:
                key = args[0].value if isinstance(args[0], Const) else None
                return receiver.get(key) if key is not None else receiver.elem
            if name in ("values",):
                return Container("list", elem=self.iter_elem(Container("list", dict(receiver.items), receiver.elem)))
            if name == "items":
                values = Container("list", dict(receiver.items), receiver.elem)
                return Iterable(Container("tuple", {0: UNKNOWN, 1: self.iter_elem(values)}))
            if name in ("to", "cuda", "pin_memory"):
                return self.cast_unknown(receiver, name, node, args, kwargs, frame)
            if name == "copy":
                return receiver.copy()
            if name in containers.MUTATORS:
                updated, result = containers.mutate(receiver, name, args, kwargs, self.iter_elem)
                if updated is not None:
                    self.rebind(node.func.value, receiver, updated, frame)
                return result
            return UNKNOWN
        if isinstance(receiver, ClassRef):
            if name in receiver.methods:
                return self.call_function(FunctionRef(receiver.methods[name], None), node, args, kwargs, frame)
            if receiver.module_base and args and isinstance(args[0], (Instance, Model)):
                return self.inherited_module_method(args[0], name, node, args[1:], kwargs, frame)
            return UNKNOWN
        if isinstance(receiver, FunctionRef):
            return UNKNOWN
        if isinstance(receiver, Iterable):
            return UNKNOWN
        if name == "unwrap_model" and args and isinstance(receiver, Autocast):
            # accelerator.unwrap_model(model): keep_fp32_wrapper=True (the default) keeps the
            # autocast forward that prepare() installed
            keep = kwargs.get("keep_fp32_wrapper", args[1] if len(args) > 1 else Const(True))
            if isinstance(keep, Const) and keep.value is False and isinstance(args[0], Model):
                return dataclasses.replace(args[0], autocast=None)
            return args[0]
        if name == "prepare":  # accelerator.prepare(model, optimizer, loader): same objects back
            self.mark_framework_autocast(receiver, args)
            return args[0] if len(args) == 1 else Container("tuple", dict(enumerate(args)))
        return self.cast_unknown(receiver, name, node, args, kwargs, frame)

    def mark_framework_autocast(self, framework, args):
        """Accelerator(mixed_precision="bf16").prepare / Fabric(precision="bf16-mixed").setup
        run the model's forward under autocast: calls into it are protected (BFD002)."""
        if not isinstance(framework, Autocast):
            return
        for value in args:
            if isinstance(value, Model):
                self.trail.set_attr(value, "autocast", framework)
            elif isinstance(value, Instance):
                self.trail.set_item(value, "attrs", "__bf16lint_autocast__", framework)

    def cast_unknown(self, receiver, name, node, args, kwargs, frame):
        """A method on something we know nothing about: only an explicit dtype says more."""
        self.note_move(name, args, kwargs)
        dtype = self.dtype_argument(name, args, kwargs)
        if dtype is not None and dtype.dtype == BF16:
            return Tensor(BF16, self.cast_origin(node, dtype, frame))
        if dtype is not None and dtype.dtype in (FP32, FP16, OTHER):
            return Tensor(dtype.dtype)
        if isinstance(receiver, Container) and name in ("to", "cuda", "pin_memory"):
            return receiver
        return UNKNOWN

    def dtype_argument(self, name, args, kwargs) -> Optional[DType]:
        """The dtype a .to/.type/.bfloat16/.float call asks for, or None if it keeps dtype."""
        if name == "bfloat16":
            return DType(BF16)
        if name == "float":
            return DType(FP32)
        if name == "half":
            return DType(FP16)
        if name in ("double", "long", "int", "bool", "byte"):
            return DType(OTHER)
        if name in ("to", "type"):
            candidates = list(args) + [kwargs.get("dtype", UNKNOWN)]
            for value in candidates:
                if isinstance(value, DType):
                    return value
                if isinstance(value, Tensor) and name == "to":
                    return DType(value.dtype, value.origin)
                if isinstance(value, Const) and isinstance(value.value, str) and name == "type":
                    text = value.value.lower()
                    if "bfloat16" in text:
                        return DType(BF16)
                    if "float" in text:
                        return DType(FP32)
        if name == "type_as" and args:
            other = args[0]
            return DType(other.dtype, other.origin) if isinstance(other, Tensor) else DType(OTHER)
        return None

    def cast_origin(self, node, dtype: DType, frame) -> Origin:
        method = node.func.attr if isinstance(node.func, ast.Attribute) else "to"
        shown = self.source.segment(node)
        shown = f"`{shown}`" if len(shown) <= 60 and "\n" not in shown else f"`.{method}(...)`"
        literal = self.literal_bf16_cast(node)
        if dtype.origin is not None and not literal:
            where = dtype.origin
            return Origin(node.lineno, f"{shown}, its dtype torch.bfloat16", where.condition, None, frame.scope,
                          where.line)
        return Origin(node.lineno, shown, None, node if literal else None, frame.scope)

    def literal_bf16_cast(self, node) -> bool:
        """`.bfloat16()`, or `.to/.type(...)` spelling torch.bfloat16 literally."""
        if not isinstance(node.func, ast.Attribute):
            return False
        if node.func.attr == "bfloat16":
            return True
        for arg in list(node.args) + [k.value for k in node.keywords if k.arg == "dtype"]:
            if isinstance(arg, ast.Attribute) and arg.attr == "bfloat16":
                return True
        return False

    def note_move(self, name, args, kwargs):
        """`.cuda()` and `.to("cuda")` say which device the program runs on."""
        if name == "cuda":
            self.devices.add("cuda")
        elif name == "to":
            for value in list(args[:1]) + [kwargs.get("device")]:
                if isinstance(value, Const) and is_device_string(value.value):
                    self.devices.add(device_kind(value.value))
                elif isinstance(value, Device):
                    self.devices.add(value.kind)

    def tensor_method(self, tensor, name, node, args, kwargs, frame):
        self.note_move(name, args, kwargs)
        dtype = self.dtype_argument(name, args, kwargs)
        if dtype is not None:
            if dtype.dtype == BF16:
                return tensor if tensor.is_bf16 and dtype.origin is None else Tensor(BF16, self.cast_origin(node, dtype, frame))
            if dtype.dtype == UNKNOWN_DTYPE:
                return Tensor(UNKNOWN_DTYPE)
            return Tensor(dtype.dtype)
        if name in ("is_floating_point", "element_size"):
            return self.dtype_fact(DType(tensor.dtype), name)
        if name in TENSOR_NON_TENSOR_METHODS:
            return UNKNOWN
        if name in ("sub", "div", "add", "mul", "true_divide", "subtract", "divide", "multiply") and args:
            return self.promote_with(tensor, args[0])
        # .to(device), .cuda(), .contiguous(), .permute(), in-place ops: same tensor.
        return tensor

    def model_method(self, model, name, node, args, kwargs, frame):
        dtype = self.dtype_argument(name, args, kwargs)
        if dtype is not None:
            self.trail.set_attr(model, "dtype", dtype.dtype if dtype.dtype != UNKNOWN_DTYPE else OTHER)
            return model
        if name in ("parameters", "named_parameters", "apply"):
            return self.module_walk(model, name, args, frame)
        if name in kb.NON_INPUT_METHODS:
            return model if name in kb.SAME_MODULE_METHODS else UNKNOWN
        self.check_input(node, model, args, kwargs, frame, method=name)
        return Tensor(UNKNOWN_DTYPE)

    def module_builtin(self, instance, name, node, args, kwargs, frame):
        """nn.Module methods a user class inherits: casts reach every held backbone."""
        dtype = self.dtype_argument(name, args, kwargs)
        if dtype is not None:
            self.cast_instance(instance, dtype.dtype if dtype.dtype != UNKNOWN_DTYPE else OTHER, set())
            return instance
        if name in ("eval", "train"):
            # nn.Module.training, which `autocast(enabled=self.training)` in a forward reads
            mode = args[0] if args else kwargs.get("mode", Const(True))
            instance.attrs["training"] = Const(False) if name == "eval" else mode
        if name in kb.SAME_MODULE_METHODS:
            return instance
        if name in ("parameters", "named_parameters", "apply"):
            return self.module_walk(instance, name, args, frame)
        if name == "register_buffer" and len(args) >= 2 and isinstance(args[0], Const):
            self.trail.set_item(instance, "attrs", str(args[0].value), args[1])
        return UNKNOWN

    def module_walk(self, module, name, args, frame):
        """`.parameters()` / `.named_parameters()` give parameters whose `.data` a loop may
        recast; `.apply(fn)` runs fn on the module (standing for each submodule: a cast there
        casts the backbone) and returns the module."""
        if name == "apply":
            if args and isinstance(args[0], FunctionRef):
                before = module.dtype if isinstance(module, Model) else None
                self.call_function(args[0], None, [module], {}, frame)
                if before is not None and module.dtype != before:
                    # a cast on some path of fn (`if isinstance(m, nn.Conv2d)`) reaches the
                    # submodules it selects: the backbone's layers take the cast
                    cast = dtype_parts(module.dtype) - dtype_parts(before)
                    if len(cast) == 1:
                        self.trail.set_attr(module, "dtype", next(iter(cast)))
            return module
        parameter = ModelParameter(module)
        return Iterable(parameter if name == "parameters" else Container("tuple", {0: UNKNOWN, 1: parameter}))

    def inherited_module_method(self, target, name, node, args, kwargs, frame):
        """nn.Module's own method called unbound on `target` (`nn.Module.to(self, ...)`)."""
        if isinstance(target, Model):
            return self.model_method(target, name, node, args, kwargs, frame)
        return self.module_builtin(target, name, node, args, kwargs, frame)

    def cast_instance(self, instance, dtype, seen):
        if id(instance) in seen:
            return
        seen.add(id(instance))
        # the module's own layers take that dtype too (a student built from scratch)
        instance.attrs["__bf16lint_dtype__"] = DType(dtype)
        for value in list(instance.attrs.values()):
            if isinstance(value, Model):
                self.trail.set_attr(value, "dtype", dtype)
            elif isinstance(value, Instance):
                self.cast_instance(value, dtype, seen)

    # ------------------------------------------------------ user code: classes
    def make_class(self, node: ast.ClassDef, frame: Frame) -> ClassRef:
        cls = ClassRef(node)
        bases = []
        for base in node.bases:
            base_value = self.eval(base, frame)
            if isinstance(base_value, ClassRef):
                bases.append(base_value)
                cls.module_base = cls.module_base or base_value.module_base
            elif isinstance(base_value, ModuleRef) and is_module_class(base_value.qualified):
                cls.module_base = True
        cls.mro = c3_tail(bases)
        for klass in reversed(cls.mro):  # the first class in the order that defines a name wins
            cls.methods.update(klass.own_methods)
            cls.attrs.update(klass.own_attrs)
        cls.base_methods = dict(cls.methods)
        class_frame = Frame(node, frame)
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                cls.own_methods[item.name] = item
            elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                self.exec_stmt(item, class_frame)
        cls.own_attrs = dict(class_frame.env)
        cls.methods.update(cls.own_methods)
        cls.attrs.update(cls.own_attrs)
        self.class_refs[node] = cls
        return cls

    def instantiate(self, cls: ClassRef, node, args, kwargs, frame) -> Instance:
        instance = Instance(cls)
        init = cls.methods.get("__init__")
        if init is not None:
            self.call_function(FunctionRef(init, instance), node, args, kwargs, frame, hits_to_caller=False)
        else:
            # dataclasses and NamedTuples: keyword arguments become attributes.
            fields = [item.target.id for item in cls.node.body
                      if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)]
            for name, value in zip(fields, args):
                instance.attrs[name] = value
            instance.attrs.update({k: v for k, v in kwargs.items() if not k.startswith("**")})
            for name in fields:
                default = cls.attrs.get(name)
                if name not in instance.attrs and isinstance(default, configvalues.FieldDefault):
                    instance.attrs[name] = self.field_value(default, frame)
        self.instances[cls.node] = instance
        return instance

    def field_value(self, default, frame) -> Value:
        """A dataclass field's value in a new instance: its default, or a fresh
        default_factory() (a nested config class, list, dict)."""
        if default.factory is None:
            return default.value
        factory, call = default.factory, default.factory_call
        if isinstance(factory, ModuleRef):
            if factory.qualified in ("list", "dict", "tuple", "set"):
                return Container("dict" if factory.qualified == "dict" else "list")
            # A library call needs a position (a backbone built there names its line).
            return self.call_qualified(factory.qualified, call, [], {}, frame) if call is not None else UNKNOWN
        return self.call_value(factory, None, [], {}, frame)

    # ---------------------------------------------------- user code: functions
    def call_function(self, ref: FunctionRef, node, args, kwargs, frame, hits_to_caller=True):
        fn = ref.node
        if ref.partial_args or ref.partial_kwargs:
            args = list(ref.partial_args) + list(args)
            kwargs = {**(ref.partial_kwargs or {}), **kwargs}
        self.interpreted.add(fn)
        if self.depth >= MAX_DEPTH or fn in self.active or self.steps - self.steps_before > MAX_STEPS \
                or self.steps > MAX_TOTAL_STEPS:
            return UNKNOWN
        parent = ref.closure if ref.closure is not None else self.module_frame
        if ref.closure is None and self.resolver is not None:  # a function of another module sees its globals
            parent = self.resolver.globals_for(fn) or parent
        callee = Frame(fn, parent, autocast=frame.autocast, is_method=ref.bound_self is not None)
        if isinstance(fn, ast.Lambda):
            self.bind_params(fn, ref, callee, args, kwargs)
            return self.eval(fn.body, callee)
        for decorator in fn.decorator_list:
            value = self.eval(decorator, callee)
            if isinstance(value, Autocast):
                callee.autocast = callee.autocast + (value,)
        self.bind_params(fn, ref, callee, args, kwargs)
        self.depth += 1
        self.active.append(fn)
        try:
            try:
                self.exec_top(fn.body, callee)
            except _Stop:
                pass
        finally:
            self.depth -= 1
            self.active.pop()
        if self.resolver is not None:  # a crash in another module's code is the linted file's call's
            name = ref.bound_self.name if isinstance(ref.bound_self, Instance) else getattr(fn, "name", "<lambda>")
            self.resolver.carry_hits(self, callee, node, name, args, kwargs, frame)
        if node is not None and ref.bound_self is not None and hits_to_caller:
            self.forward_hits(callee, node, ref.bound_self, args, kwargs, frame)
        else:
            self.finish_frame(callee)
        if callee.yields:
            elem = UNKNOWN
            for value in callee.yields:
                elem = join(elem, value)
            return Iterable(elem, fn.name)
        result = UNKNOWN
        for value in callee.returns:
            result = join(result, value)
        return result

    def bind_params(self, fn, ref, frame, args, kwargs):
        params = fn.args
        positional = list(getattr(params, "posonlyargs", [])) + list(params.args)
        values = list(args)
        is_static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in getattr(fn, "decorator_list", []))
        if ref.bound_self is not None and positional and not is_static:
            first = positional.pop(0)
            frame.env[first.arg] = ref.bound_self
        defaults = list(params.defaults)
        default_for = dict(zip([p.arg for p in positional[len(positional) - len(defaults):]], defaults))
        for index, param in enumerate(positional):
            if index < len(values):
                value = values[index]
            elif param.arg in kwargs:
                value = kwargs[param.arg]
            elif param.arg in default_for:
                value = self.eval(default_for[param.arg], self.module_frame)
            else:
                value = UNKNOWN
            if value is UNKNOWN:  # a parameter nobody decides is still one value in this body
                value = Flag(("param", id(fn), param.arg), param.arg, frame.home)
            frame.env[param.arg] = value
            frame.bind[param.arg] = (fn, "body_start")
        for param, default in zip(params.kwonlyargs, params.kw_defaults):
            if param.arg in kwargs:
                value = kwargs[param.arg]
            elif default is not None:
                value = self.eval(default, self.module_frame)
            else:
                value = UNKNOWN
            if value is UNKNOWN:
                value = Flag(("param", id(fn), param.arg), param.arg, frame.home)
            frame.env[param.arg] = value
            frame.bind[param.arg] = (fn, "body_start")
        if params.vararg:
            frame.env[params.vararg.arg] = Container("tuple", dict(enumerate(values[len(positional):])))
        if params.kwarg:
            named = {p.arg for p in positional} | {p.arg for p in params.kwonlyargs}
            frame.env[params.kwarg.arg] = Container("dict", {k: v for k, v in kwargs.items() if k not in named})
