"""A crash inside another module's code, brought back to the call in the file being linted.

The backbone call that fails at run time may sit in a helper of utils.py or in the forward
of a wrapper in models/backbone.py, while everything that makes it fail (the bf16 tensor,
the float32 backbone, the missing autocast) is decided in train.py. train.py is the file
being linted, so that is where the bug is reported: at its call into the other module, the
outermost frame of the run's traceback that is its own. Hits made inside another module
travel up the chain of calls that module's code makes until they reach that call.
"""
from __future__ import annotations

import ast
from typing import Optional, Tuple

from ..analysis.checks import Hit
from ..analysis.values import Container, Tensor


def carry_hits(interpreter, callee, node: Optional[ast.Call], name: str, args, kwargs, frame) -> None:
    """Take the hits of another module's code out of ``callee`` (the frame that just ran):
    re-reported at ``node`` when the linted file makes that call, handed on to the calling
    frame when the call is itself made by another module's code. Others stay."""
    owns = interpreter.resolver.owns
    foreign = [hit for hit in callee.hits if not owns(hit.call)]
    if not foreign:
        return
    if node is None and owns(frame.scope):
        # Called by a library on the linted file's behalf (trainer.fit(module) runs the
        # module's training_step): the statement's call is the frame the traceback shows.
        # Its arguments are not the callee's, so nothing is located in them.
        node, args, kwargs = _statement_call(interpreter.current_stmt), [], {}
    if node is not None and owns(node):
        callee.hits[:] = [hit for hit in callee.hits if owns(hit.call)]
        frame.hits.extend(_at_call(interpreter, hit, node, name, args, kwargs, frame) for hit in foreign)
    elif not owns(frame.scope):
        callee.hits[:] = [hit for hit in callee.hits if owns(hit.call)]
        frame.hits.extend(foreign)


def _statement_call(stmt) -> Optional[ast.Call]:
    value = getattr(stmt, "value", None) if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)) else None
    return value if isinstance(value, ast.Call) else None


def _at_call(interpreter, hit: Hit, node: ast.Call, name: str, args, kwargs, frame) -> Hit:
    pairs = [(v, n) for v, n in interpreter.argument_pairs(node, args, kwargs) if n is not None]
    located = _locate(interpreter, hit, [v for v, _ in pairs], [n for _, n in pairs])
    if located is None:  # made bf16 inside the other module: named as that code spells it, no fix here
        arg_text, site = hit.arg_text, None
    else:
        arg_node, path = located
        arg_text = interpreter.source.segment(arg_node) + "".join(f"[{k}]" for k in path or ())
        site = interpreter.call_site(node, arg_node, path, frame, hit.tensor) if hit.site is not None else None
    outer = Hit(node, hit.tensor, f"{hit.model} inside `{name}`", hit.protection, hit.autocast_line, arg_text,
                scope=frame.scope, model_line=hit.model_line)
    outer.site, outer.valuation, outer.weights = site, hit.valuation, hit.weights
    outer.through_forward, outer.wrap_model = hit.through_forward, hit.wrap_model
    outer.backbone_call, outer.mixed_weights = hit.backbone_call or hit.call, hit.mixed_weights
    return outer


def _locate(interpreter, hit: Hit, values, arg_nodes) -> Optional[Tuple[ast.AST, tuple]]:
    """The argument the bf16 tensor came in through: the same value, or (moved to a device
    or reshaped inside the helper) a tensor of the same bf16 origin."""
    found = interpreter.locate(hit.tensor, values, arg_nodes, hit)
    if found is not None or hit.tensor.origin is None:
        return found
    origin = hit.tensor.origin
    for value, arg_node in zip(values, arg_nodes):
        if isinstance(value, Tensor) and value.origin is origin:
            return arg_node, ()
        if isinstance(value, Container):
            for key, item in value.items.items():
                if isinstance(item, Tensor) and item.origin is origin:
                    return arg_node, (value.key_text.get(key) or repr(key),)
    return None
