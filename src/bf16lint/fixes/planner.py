"""Fix planning: how to give a backbone float32 input at a reported call, in the author's
terms. It runs after the analysis, over the hits it recorded, so it can see every consumer
of a tensor (a bf16 student fed the same batch as an fp32 teacher) before it chooses.

Policy (RULES.md "The fix"): every finding gets a SAFE fix that plain `--fix` applies.
- insert `x = x.float()` right after the statement that made/moved `x` (or before the call);
- cast at the call (`teacher(x.float())`) where a rebinding cannot be placed, or where the
  same name also feeds a model cast to a low precision (rebinding would move the crash);
- rewriting an explicit literal bf16 cast to float32 changes the author's stated dtype: it
  is only the UNSAFE alternative, taken with `--unsafe-fixes`.
"""
from __future__ import annotations

import ast
from typing import Optional, Tuple

from ..findings import SAFE, UNSAFE, FixPlan

# Calls that consume a tensor on their own (a rewrite of its cast would change what they get).
_OWN_CONSUMERS = ("print", "len", "isinstance", "log", "append", "save", "imshow")


# The image keyword of the vision models a mapping is spread into (HF `pixel_values=`).
_SPREAD_IMAGE_KEY = "pixel_values"


def _literal_key(key: str) -> str:
    return f'"{key}"'


class FixPlanner:
    def __init__(self, parents, source, hit_calls, low_precision_inputs):
        self.parents = parents
        self.source = source
        self.hit_calls = hit_calls  # ids of the reported backbone calls
        self.low_precision_inputs = low_precision_inputs  # {(scope, name)} fed to bf16/fp16 models
        self._loads = {}  # scope -> {name: [Name nodes that read it]}: one walk per scope
        self._only_backbones = {}

    # ------------------------------------------------------------------ cast
    def plan(self, site) -> Tuple[Optional[FixPlan], Optional[FixPlan]]:
        """(the fix, its unsafe alternative) for a CallSite (analysis/interpreter.py): the
        call, the argument node, the key path inside a dict argument, the scope, how the
        argument's root name was bound and the statement that holds the call."""
        if site.path is None:
            return None, None  # a dict whose image key we cannot name
        safe = self.safe_plan(site)
        unsafe = self.rewrite_plan(site)
        if safe is None:
            return unsafe, None
        return safe, unsafe

    def rewrite_plan(self, site) -> Optional[FixPlan]:
        origin = site.tensor.origin
        if origin is None or origin.cast is None or origin.scope is not site.scope:
            return None
        if not self.feeds_only_backbones(origin.cast, site.scope):
            return None
        return FixPlan("rewrite_cast", UNSAFE, "Cast to float32 instead of bfloat16 (changes the stated dtype)",
                       span=self.span(origin.cast))

    def safe_plan(self, site) -> Optional[FixPlan]:
        arg_node, path = site.arg_node, site.path
        if path == () and self.spread_as_keywords(site):
            # model(**inputs) where the analysis read `inputs` as one tensor (a BatchFeature
            # moved with .to(device, dtype)): it is a mapping whose image entry is the keyword
            # a vision model takes, and a mapping has no .float()
            path = (_literal_key(_SPREAD_IMAGE_KEY),)
        root, target = None, None
        if isinstance(arg_node, ast.Name):
            root = arg_node.id
            target = root + (f"[{path[0]}]" if path else "")
        elif (
            not path
            and isinstance(arg_node, ast.Subscript)
            and isinstance(arg_node.value, ast.Name)
            and isinstance(arg_node.slice, ast.Constant)
            and isinstance(arg_node.slice.value, str)
        ):
            root, target = arg_node.value.id, self.source.segment(arg_node)
        call_stmt = site.stmt
        if root is None:
            if path or not isinstance(arg_node, (ast.Call, ast.Attribute, ast.Subscript)):
                return None
            return self.cast_in_place(arg_node)
        if (site.scope, root) in self.low_precision_inputs:
            # The same name feeds a bf16/fp16 model too: cast only what this backbone gets.
            return self.cast_in_place(arg_node) if not path else None
        if call_stmt is None or self.parents.containing_list(call_stmt) is None:
            return None
        anchor, placement = call_stmt, "before"
        bound = site.bound
        if bound is not None and bound[0] is None:
            # A comprehension variable (`[teacher(c) for c in crops]`): cast it in place.
            return self.cast_in_place(arg_node)
        if bound is not None:
            stmt, kind = bound
            if kind == "after" and isinstance(stmt, ast.stmt) and self.parents.precedes_in_block(stmt, call_stmt):
                anchor, placement = stmt, "after"
            elif kind == "body_start" and isinstance(stmt, ast.stmt) and stmt is not call_stmt \
                    and self.parents.is_inside(call_stmt, stmt) and self.body_holds(stmt, call_stmt):
                anchor, placement = stmt, "body_start"
        if self.shares_a_line(call_stmt) or (placement == "after" and anchor.end_lineno >= call_stmt.lineno):
            # `x = x.to(d); y = model(x)`: no line of its own to insert, so cast in place.
            return self.cast_in_place(arg_node)
        line = anchor.lineno  # for a decorated def, the `def` line (as libcst positions it)
        col = self.source.char_col(anchor.lineno, anchor.col_offset)
        where = {"after": "after it is moved to the device", "before": "just before the call",
                 "body_start": "at the start of the block that receives it"}[placement]
        return FixPlan("insert_cast", SAFE, f"Cast `{target}` to float32 {where}", target=target,
                       anchor=(line, col), placement=placement)

    def spread_as_keywords(self, site) -> bool:
        return any(k.arg is None and k.value is site.arg_node for k in site.call.keywords)

    def cast_to_weights(self, site, module_node) -> Optional[FixPlan]:
        """float16 weights, or weights whose dtype depends on the path: `.float()` would
        crash them the other way, so the input takes the weights' own dtype at the call."""
        if site.path != () or module_node is None or self.spread_as_keywords(site):  # not a plain tensor
            return None
        module = self.source.segment(module_node)
        if not module or "\n" in module:
            return None
        return FixPlan("cast_to_weights", SAFE, f"Cast the backbone input to the dtype of `{module}`'s weights",
                       target=module, span=self.span(site.arg_node))

    def cast_in_place(self, arg_node) -> FixPlan:
        return FixPlan("append_float", SAFE, "Append `.float()` to the backbone input", span=self.span(arg_node))

    # ------------------------------------------------------------------ wrap
    def plan_wrap(self, model) -> Optional[FixPlan]:
        """--fix-style wrap: wrap the call that builds the backbone, where it is built."""
        call = model.built_by
        self.parents.expand(model.built_in)
        if call is None or not isinstance(self.parents.parent.get(call), (ast.Assign, ast.Call, ast.Attribute)):
            return None
        if isinstance(self.parents.parent.get(call), ast.Call) and self.parents.parent[call].func is not call:
            return None
        return FixPlan("wrap_model", SAFE, "Wrap the backbone with bf16lint.runtime.float32_inputs where it is built",
                       span=self.span(call))

    # --------------------------------------------------------------- helpers
    def shares_a_line(self, stmt) -> bool:
        """Another statement of the same block sits on this statement's lines (`a; b`)."""
        where = self.parents.containing_list(stmt)
        if where is None:
            return False
        _, seq, index = where
        before = seq[index - 1] if index > 0 else None
        after = seq[index + 1] if index + 1 < len(seq) else None
        return (before is not None and before.end_lineno >= stmt.lineno) or (
            after is not None and after.lineno <= stmt.end_lineno
        )

    def body_holds(self, compound, stmt) -> bool:
        """The call sits in the compound statement's body (not its else/handlers)."""
        body = getattr(compound, "body", [])
        node = stmt
        while node is not None and node is not compound:
            if any(item is node for item in body):
                return True
            node = self.parents.parent.get(node)
        return False

    def span(self, node):
        return (
            node.lineno,
            self.source.char_col(node.lineno, node.col_offset),
            node.end_lineno,
            self.source.char_col(node.end_lineno, node.end_col_offset),
        )

    def loads(self, scope):
        if scope not in self._loads:
            self.parents.expand_all(scope)
            found = {}
            for node in ast.walk(scope):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    found.setdefault(node.id, []).append(node)
            self._loads[scope] = found
        return self._loads[scope]

    def feeds_only_backbones(self, cast, scope) -> bool:
        """The explicitly cast tensor goes nowhere but into backbone calls: changing the
        cast cannot change what other code receives."""
        loads = self.loads(scope)
        stmt = self.parents.enclosing_stmt(cast)
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and stmt.value is cast):
            return isinstance(self.parents.parent.get(cast), ast.Call)  # model(x.bfloat16())
        name = stmt.targets[0].id
        if (scope, name) in self.low_precision_inputs:
            return False  # a bf16 model takes it too: float32 would crash there
        key = (id(scope), name)
        if key not in self._only_backbones:  # the same for every cast of this name here
            self._only_backbones[key] = all(self.harmless_use(node) for node in loads.get(name, ()))
        return self._only_backbones[key]

    def harmless_use(self, node) -> bool:
        parent = self.parents.parent.get(node)
        if isinstance(parent, ast.Attribute):
            return True  # x.to(device), x.shape
        return isinstance(parent, ast.Call) and self.may_take_cast(parent)

    def may_take_cast(self, call) -> bool:
        """A call the cast tensor may go into without the rewrite changing anything for
        other code: a reported backbone call, or any call that is not an obvious consumer
        of its own (printing, logging, saving)."""
        if id(call) in self.hit_calls:
            return True
        func = call.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return name not in _OWN_CONSUMERS
