from __future__ import annotations

from ._messages import backbone, crash, provenance, remedy, script_lines
from .base import Example, Rule

RULE = Rule(
    code="BFD003",
    name="autocast-does-not-protect-backbone",
    severity="warning",
    summary="an autocast that seems to protect a bf16 backbone call does not",
    what_it_does=(
        "Finds a bf16 tensor entering a float32 backbone where an autocast is present but "
        "does not cover the call: it is disabled (`enabled=False`), it is hard-coded to "
        "`'cuda'` (or `torch.cuda.amp.autocast`) while the device is chosen at run time, or "
        "it wraps only other statements of the loop (the loss) and not the backbone call."
    ),
    why_bad=(
        "The code reads as protected, but the backbone still gets bf16 input with float32 "
        "weights and raises `RuntimeError: Input type (c10::BFloat16) and bias type (float) "
        "should be the same`. A `'cuda'` autocast on a machine without CUDA disables itself "
        "with a UserWarning and then the call crashes; an autocast that disables itself "
        "inside a wrapper (facebookresearch/dinov3#154) does the same."
    ),
    example="""
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
images = images.to(device, dtype=torch.bfloat16)
with torch.autocast("cuda", dtype=torch.bfloat16):
    feats = backbone(images)                     # BFD003 on a CPU run
""",
    use_instead="""
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
images = images.to(device, dtype=torch.bfloat16)
images = images.float()
with torch.autocast(device.type, dtype=torch.bfloat16):
    feats = backbone(images)
""",
    fix_safety=(
        "Same fixes as BFD001 (a safe `.float()` cast of the image after the device move, or "
        "an unsafe rewrite of an explicit bf16 cast). The autocast itself is left as written."
    ),
    references=(
        "facebookresearch/dinov3#154 (a wrapper disabled autocast)",
        "Stability-AI/StableCascade#93 (a misused autocast region)",
    ),
    valid=(
        Example(
            """
import torch
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16).to(device)
images = images.float()
with torch.autocast("cuda", dtype=torch.bfloat16):
    out = model(images)
"""
        ),
    ),
    invalid=(
        Example(
            """
import torch
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").to(device)
images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16).to(device)
with torch.autocast("cuda", dtype=torch.bfloat16):
    out = model(images)
""",
            line=7,
        ),
    ),
)

_REASONS = {
    "disabled": "the autocast at {line} is disabled",
    "wrong_device": "the autocast at {line} is for a device type fixed in the code while the device is chosen at run time",
    "loss_only": "the autocast at {line} covers other statements of the loop, not this call",
}


def matches(hit) -> bool:
    return hit.protection in _REASONS


def message(hit, where=script_lines) -> str:
    reason = _REASONS[hit.protection].format(line=where(hit.autocast_line))
    return (
        f"{reason}: {provenance(hit, where)} and enters {hit.weights} backbone {backbone(hit, where)}, which crashes with "
        f"{crash(hit)}; {remedy(hit)}"
    )
