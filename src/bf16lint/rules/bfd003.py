from __future__ import annotations

from ._messages import backbone, crash, provenance, remedy, script_lines
from .base import Example, Rule

RULE = Rule(
    code="BFD003",
    name="autocast-does-not-protect-backbone",
    severity="warning",
    summary="an autocast that seems to protect a bf16 backbone call does not",
    what_it_does=(
        "Finds an autocast that seems to protect a bf16 backbone call but does not: it is "
        "disabled (`enabled=False`), it is for a device type fixed in the code (`'cuda'`, "
        "`torch.cuda.amp.autocast`, or `'cpu'`) while the device is chosen at run time, or "
        "it wraps only other statements of the loop (the loss) and not the backbone call. "
        "It is reported at the autocast. The call itself is BFD001 (a certain crash) where "
        "nothing protects it; under a hard-coded `'cuda'` autocast it runs on a GPU and "
        "crashes on a CPU run, so the call is BFD002."
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
with torch.autocast("cuda", dtype=torch.bfloat16):  # BFD003
    feats = backbone(images)                     # BFD002: crashes on a CPU run
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
            line=6,
            also=(("BFD002", 7),),
        ),
    ),
)

_REASONS = {
    "disabled": "the autocast at {line} is disabled",
    "wrong_device": "the autocast at {line} is for a device type fixed in the code while the device is chosen at run time",
    "cuda_only": "the autocast at {line} is hard-coded to 'cuda' while the device is chosen at run time (a CPU run gets no autocast)",
    "loss_only": "the autocast at {line} covers other statements of the loop, not this call",
}


def matches(hit) -> bool:
    """Never at the call: there the bf16 input is a certain crash (BFD001). This rule is
    reported at the autocast that seemed to protect it (see `autocast_site`)."""
    return False


def autocast_site(hit):
    """The line of the autocast a bf16 call was meant to sit under, when it does not
    protect that call; None otherwise."""
    if hit.protection in _REASONS and hit.autocast_line:
        return hit.autocast_line
    return None


def message(hit, where=script_lines) -> str:
    reason = _REASONS[hit.protection].format(line=where(hit.autocast_line))
    return (
        f"{reason[0].upper()}{reason[1:]}, so it does not protect the backbone call at {where(hit.call.lineno)}: "
        f"{provenance(hit, where)} and enters {hit.weights} backbone {backbone(hit, where)}, which crashes with "
        f"{crash(hit)}{' on a CPU run' if hit.protection == 'cuda_only' else ''}; {remedy(hit)}"
    )
