"""The check: a bf16 tensor entering a float32 (or float16) backbone at a call, under which
autocast, and how a wrapper forwards that fact to its callers. Hits are facts; rules/
turns them into findings and fixes/planner.py plans their fixes."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional, Tuple

from .values import BF16, FP16, FP32, OTHER, UNKNOWN_DTYPE, Container, Model, Tensor, dtype_parts


@dataclass
class Hit:
    """A bf16 tensor entering a float32 backbone at one call."""

    call: ast.Call
    tensor: Tensor
    model: str  # how the backbone reads in a message
    protection: str  # "none" | "protected" | "cuda_only" | "disabled" | "wrong_device" | "loss_only"
    autocast_line: int
    arg_text: str
    fix: Optional[object] = None  # FixPlan, built where the hit is finally reported
    scope: Optional[ast.AST] = None
    model_line: int = 0  # where the backbone was built
    wrap_fix: Optional[object] = None  # FixPlan for --fix-style wrap
    wrap_model: Optional[Model] = None  # the backbone the wrap fix wraps
    unsafe_fix: Optional[object] = None  # FixPlan --unsafe-fixes prefers (rewrite the bf16 cast)
    site: Optional["CallSite"] = None  # what the fix planner needs (fixes/planner.py)
    valuation: Tuple[Tuple[str, bool], ...] = ()  # the flag values of the path it was found on
    weights: str = "float32"  # the backbone's weight dtype, as a message says it
    through_forward: bool = True  # the backbone is called (not one of its other methods)
    mixed_weights: bool = False  # the backbone's dtype depends on the path (cast on one only)
    backbone_call: Optional[ast.Call] = None  # the backbone's own call, when re-reported at a caller
    calls_module: Optional[bool] = None  # re-reported: the caller's call runs the wrapper itself (its forward)


@dataclass
class CallSite:
    """Where a bf16 argument enters a reported call, as the fix planner sees it."""

    call: ast.Call
    arg_node: ast.AST
    path: Optional[tuple]  # key path inside a dict argument; None when it cannot be named
    scope: ast.AST
    bound: Optional[Tuple[object, str]]  # how the argument's root name was bound
    stmt: Optional[ast.stmt]  # the statement holding the call
    tensor: "Tensor"


class BackboneChecks:
    """Mixed into the Interpreter: the calls into backbones."""

    # ------------------------------------------------------------ the check
    def check_input(self, node, model: Model, args, kwargs, frame, method=None):
        dtypes = dtype_parts(model.dtype)
        self.model_dtypes_at.setdefault(id(node), set()).update(dtypes)  # over every path
        if dtypes & {BF16, FP16}:
            self.note_low_precision_inputs(node, frame)
        # A bf16 input crashes a float16 model too (`Input type (c10::BFloat16) and bias type
        # (c10::Half)`); a model cast to bf16 or to a dtype the input may match does not. A
        # model cast on one path only (`bf16|fp32`) crashes on the other path; a dtype chosen
        # at run time on some path is not enough to report.
        if model.self_casting or not dtypes & {FP32, FP16} or dtypes & {OTHER, UNKNOWN_DTYPE}:
            return
        found = self.bf16_argument(node, args, kwargs)
        if found is None:
            return
        tensor, arg_text, arg_node, path = found
        protection, line = self.protection(node, frame)
        # accelerate/Fabric wrap forward only: model.encode_image(x) runs outside their autocast
        if protection == "none" and model.autocast is not None and method in (None, "forward"):
            protection, line = "protected", model.autocast.line
        hit = Hit(node, tensor, f"`{model.name}`", protection, line, arg_text, scope=frame.scope, model_line=model.line)
        hit.weights = "float16" if model.dtype == FP16 else "float32"
        hit.mixed_weights = len(dtypes) > 1  # `.float()` would crash the path where it is cast
        hit.through_forward = method in (None, "forward")  # a forward pre-hook sees this call
        # `.float()` would crash a float16 model the other way: only the wrap fix (which
        # casts to the weights' dtype) is offered there.
        hit.site = self.call_site(node, arg_node, path, frame, tensor)
        hit.wrap_model = model
        hit.valuation = tuple((text, value) for value, text in self.assumptions.values())
        frame.hits.append(hit)

    def call_site(self, call, arg_node, path, frame, tensor) -> CallSite:
        bound = None
        if path is not None:
            root = arg_node.id if isinstance(arg_node, ast.Name) else (
                arg_node.value.id if isinstance(arg_node, ast.Subscript) and isinstance(arg_node.value, ast.Name)
                else None)
            owner = frame
            while root is not None and owner is not None and owner.scope is frame.scope:  # comprehensions nest
                if root in owner.bind:
                    bound = owner.bind[root]
                    break
                owner = owner.parent
        return CallSite(call, arg_node, path, frame.scope, bound, self.current_stmt, tensor)

    def bf16_argument(self, node, args, kwargs):
        for value, arg_node in self.argument_pairs(node, args, kwargs):
            if arg_node is None:
                continue
            text = self.source.segment(arg_node)
            if isinstance(value, Tensor) and value.is_bf16:
                return value, text, arg_node, ()
            if isinstance(value, Container):
                for key in self.kb.image_keys:
                    item = value.items.get(key)
                    if isinstance(item, Tensor) and item.is_bf16:
                        key_text = value.key_text.get(key) or repr(key)
                        return item, f"{text}[{key_text}]", arg_node, (key_text,)
                named = any(key in value.items for key in self.kb.image_keys)  # its image entry is known
                if isinstance(value.elem, Tensor) and value.elem.is_bf16 and value.kind in ("dict", "any") \
                        and not named:
                    return value.elem, text, arg_node, None
                if value.kind in ("list", "tuple"):  # det([image]), model([crop1, crop2])
                    for item in list(value.items.values()) + [value.elem]:
                        if isinstance(item, Tensor) and item.is_bf16:
                            return item, text, arg_node, None
        return None

    def argument_pairs(self, node, args, kwargs):
        """(value, the argument's syntax node) for each argument; None for keyword values
        that came out of a `**mapping` rather than from the call's own text."""
        keyword_nodes = {k.arg if k.arg is not None else f"**{i}": k.value for i, k in enumerate(node.keywords)}
        return list(zip(args, node.args)) + [(kwargs[k], keyword_nodes.get(k)) for k in kwargs]

    def protection(self, node, frame) -> Tuple[str, int]:
        if frame.autocast:
            scope = frame.autocast[-1]
            if scope.enabled is False:
                return "disabled", scope.line
            if self.wrong_device(scope.device):
                # A 'cuda' autocast protects where training runs (a GPU) and nothing on a
                # CPU run; one for 'cpu' casts none of the GPU's ops: a crash there.
                return ("cuda_only" if scope.device == "cuda" else "wrong_device"), scope.line
            return "protected", scope.line
        if frame.loops:
            loop = frame.loops[-1]
            for with_node in self.autocasts_in(loop):
                if not self.parents.is_inside(self.current_stmt, with_node):
                    return "loss_only", with_node.lineno
        return "none", 0

    def wrong_device(self, device: str) -> bool:
        if device not in ("cuda", "cpu"):
            return False
        chosen = self.devices - {"unknown"}
        if not chosen:
            return False
        return any(kind != device for kind in chosen)

    def autocasts_in(self, loop):
        if loop not in self._autocast_in_loop:
            found = []
            for sub in ast.walk(loop):
                if isinstance(sub, (ast.With, ast.AsyncWith)):
                    for item in sub.items:
                        expr = item.context_expr
                        func = expr.func if isinstance(expr, ast.Call) else expr
                        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                        if name == "autocast":
                            found.append(sub)
            self._autocast_in_loop[loop] = found
        return self._autocast_in_loop[loop]

    # ----------------------------------------------------------- hit routing
    def forward_hits(self, callee, node, instance, args, kwargs, frame):
        """A wrapper forwards the bug to its callers: a hit whose tensor came in through
        this call's arguments is re-reported at this call."""
        pairs = [(v, n) for v, n in self.argument_pairs(node, args, kwargs) if n is not None]
        values, arg_nodes = [v for v, _ in pairs], [n for _, n in pairs]
        for hit in callee.hits:
            located = self.locate(hit.tensor, values, arg_nodes, hit)
            if located is None:
                self.hits.append(hit)
                continue
            arg_node, path = located
            arg_text = self.source.segment(arg_node) + "".join(f"[{k}]" for k in path or ())
            outer = Hit(node, hit.tensor, f"{hit.model} inside `{instance.name}`", hit.protection,
                        hit.autocast_line, arg_text, scope=frame.scope, model_line=hit.model_line)
            outer.site = self.call_site(node, arg_node, path, frame, hit.tensor) if hit.site is not None else None
            outer.valuation, outer.weights = hit.valuation, hit.weights
            outer.through_forward = hit.through_forward
            outer.wrap_model = hit.wrap_model
            outer.backbone_call, outer.mixed_weights = hit.backbone_call or hit.call, hit.mixed_weights
            outer.calls_module = getattr(callee.scope, "name", "") in ("forward", "__call__")
            frame.hits.append(outer)

    def locate(self, tensor, values, arg_nodes, inner=None):
        for value, arg_node in zip(values, arg_nodes):
            if value is tensor:
                return arg_node, ()
            if isinstance(value, Container):
                for key, item in value.items.items():
                    if item is tensor:
                        text = value.key_text.get(key) or repr(key)
                        return arg_node, (text,)
                if value.elem is tensor:
                    # stored under a key known only at run time: name it as the callee
                    # reads it (`batch["image"]` inside forward), or not at all
                    return arg_node, self.key_read_by(inner)
        return None

    def key_read_by(self, hit):
        site = getattr(hit, "site", None)
        node = site.arg_node if site is not None else None
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and isinstance(node.slice.value, str):
            return (self.source.segment(node.slice),)  # spelled as the callee spells it
        return None

    def finish_frame(self, frame):
        self.hits.extend(frame.hits)
        frame.hits.clear()
