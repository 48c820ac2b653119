"""Shared pieces of the rule messages: they teach what happened and what to do."""
from __future__ import annotations

CRASH = "`Input type (c10::BFloat16) and bias type (float) should be the same`"


def provenance(hit) -> str:
    origin = hit.tensor.origin
    if origin is None:
        return f"`{hit.arg_text}` is bfloat16"
    text = f"`{hit.arg_text}` is bfloat16 (line {origin.line}: {origin.why}"
    if origin.condition:
        text += f", when `{origin.condition}` is true"
    return text + ")"


def remedy(hit) -> str:
    if hit.fix is not None and hit.fix.kind == "rewrite_cast":
        return "cast it to torch.float32 instead (unsafe fix), or cast it with `.float()` before the call"
    return "cast the image to float32 with `.float()` right after it is moved to the device"
