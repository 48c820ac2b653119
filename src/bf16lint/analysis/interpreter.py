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
from typing import Dict, List, Tuple

from . import paths
from .heap import Trail
from .summaries import Summaries
from .values import serial_now
from .checks import BackboneChecks, Hit
from .library import LibraryCalls
from . import knowledge as kb
from .knowledge import Knowledge
from .scopes import Parents, SourceMap, function_defs
from ..fixes.planner import FixPlanner
from .values import (
    FP32,
    ClassRef,
    FunctionRef,
    Instance,
    Value,
)
from .state import (
    MAX_DEPTH,
    MAX_STEPS,
    MAX_TOTAL_STEPS,
    Env,
    Frame,
    _Stop,
)
from .statements import Statements
from .expressions import Expressions
from .calls import Calls

__all__ = ["Interpreter", "Hit", "Frame", "Env", "MAX_STEPS", "MAX_TOTAL_STEPS", "MAX_DEPTH"]


class Interpreter(Statements, Expressions, Calls, LibraryCalls, BackboneChecks):
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
        self.summaries = Summaries()  # call results reused in the same abstract context
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
            backbone_call = hit.backbone_call or hit.call  # a wrapper's caller: the backbone's own call
            mixed = hit.mixed_weights = hit.mixed_weights or len(self.model_dtypes_at.get(id(backbone_call), ())) > 1
            float32 = hit.weights == "float32" and not mixed
            if hit.site is not None and hit.fix is None and float32:
                hit.fix, hit.unsafe_fix = planner.plan(hit.site)
            if hit.wrap_model is not None:
                hit.wrap_fix = planner.plan_wrap(hit.wrap_model)
            if hit.fix is None and not float32 and hit.site is not None and isinstance(hit.call, ast.Call):
                # .float() would crash float16 weights (or the path with bf16 weights) the
                # other way: the input takes the weights' dtype at the call (plain torch).
                func = hit.call.func
                runs_module = hit.through_forward if hit.calls_module is None else hit.calls_module
                module = func if runs_module else getattr(func, "value", None)
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
            self.trail.watch = serial_now()
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
