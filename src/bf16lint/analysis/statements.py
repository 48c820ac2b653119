"""Statements of the abstract interpreter: assignments, branches and path splits, loops,
with/try/match, definitions and imports. Mixed into analysis.interpreter.Interpreter."""
from __future__ import annotations

import ast
from typing import Optional

from . import containers, heap, paths
from .paths import Flag, SplitRequest
from .library import ModelParameter
from .knowledge.dtypes import DTYPE_CONSTANTS
from .scopes import dotted_name
from .values import MISSING, dtype_union, join_key_texts
from .values import (
    BF16,
    FP16,
    FP32,
    UNKNOWN,
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
    device_kind,
    is_device_string,
    join,
)
from .values import serial_now
from .state import MAX_LOOP_ROUNDS
from .state import (
    MAX_UNROLL,
    Env,
    Frame,
    _snapshot_of,
    _restore,
    _changed,
    _Stop,
)


class Statements:

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
                    self.trail.watch = serial_now()  # the heap version counts writes to older objects
                snapshot = (_snapshot_of(frame.env), _snapshot_of(frame.bind), frame.autocast, self.trail.mark())
                try:
                    self.exec_stmt(stmt, frame)
                except SplitRequest as split:
                    home = split.flag.home
                    outermost = self.top_homes[0] is frame.home
                    if not (home is frame.home or (outermost and home not in self.top_homes)):
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
            if isinstance(obj, Container) and key == "key_text":  # spellings, not values
                return join_key_texts(a, b)
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
        """Run the body to a fixpoint of which names may be bf16: when an iteration turned a
        name bf16 that the next one reads (`x = x.bfloat16()` after the call, or a chain
        `a = b; b = c; c = c.bfloat16()`), run it again from the joined state. A join never
        drops bf16, so this only grows; MAX_LOOP_ROUNDS bounds it (a widening)."""
        start = frame.branch()
        touched = set()
        for iteration in range(MAX_LOOP_ROUNDS):
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
            if iteration == MAX_LOOP_ROUNDS - 1 or not self.became_bf16(start, merged):
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
