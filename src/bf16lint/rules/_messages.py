"""Shared pieces of the rule messages: they teach what happened and what to do.

Line numbers go through `where`, which the engine supplies: `line 12` in a script,
`cell 4, line 3` in a notebook.
"""
from __future__ import annotations

CRASH = "`Input type (c10::BFloat16) and bias type (float) should be the same`"


def crash(hit) -> str:
    """The error the call raises: the bias dtype is the backbone's weights'."""
    if getattr(hit, "weights", "float32") == "float16":
        return "`Input type (c10::BFloat16) and bias type (c10::Half) should be the same`"
    return CRASH


def script_lines(line: int) -> str:
    return f"line {line}"


def provenance(hit, where=script_lines) -> str:
    origin = hit.tensor.origin
    if origin is None:
        return f"`{hit.arg_text}` is bfloat16"
    text = f"`{hit.arg_text}` is bfloat16 ({where(origin.line)}: {origin.why}"
    if origin.dtype_line:
        text += f" set at {where(origin.dtype_line)}"
    facts = []
    if getattr(hit, "valuation", ()):  # the flag values of the path the crash is on
        from ..analysis.paths import describe

        facts.append(describe(hit.valuation))
    if origin.condition and f"`{origin.condition}`" not in " ".join(facts):
        facts.append(f"`{origin.condition}` is true")
    if facts:
        text += ", when " + " and ".join(facts)
    return text + ")"


def backbone(hit, where=script_lines) -> str:
    return f"{hit.model} ({where(hit.model_line)})" if hit.model_line else hit.model


def remedy(hit) -> str:
    if hit.fix is not None and hit.fix.kind == "rewrite_cast":
        return "cast it to torch.float32 instead (unsafe fix), or cast it with `.float()` before the call"
    if getattr(hit, "mixed_weights", False) or (hit.fix is not None and hit.fix.kind == "cast_to_weights"):
        why = ("the backbone is cast to bfloat16 on another path" if hit.weights == "float32"
               else "the weights are float16")
        return f"cast the image to the dtype of the backbone's weights (`.float()` would not do: {why})"
    return "cast the image to float32 with `.float()` right after it is moved to the device"
