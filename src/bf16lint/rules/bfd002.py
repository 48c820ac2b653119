from __future__ import annotations

from ._messages import backbone, provenance, remedy, script_lines
from .base import Example, Rule

RULE = Rule(
    code="BFD002",
    name="bf16-input-relies-on-autocast",
    severity="warning",
    summary="bfloat16 input reaches a float32 backbone and only an autocast keeps it from crashing",
    what_it_does=(
        "Finds the BFD001 flow (a bf16 tensor into a float32 backbone that does not cast its "
        "input) where the call does sit inside an enabled `torch.autocast` for the right "
        "device, so it runs today."
    ),
    why_bad=(
        "Autocast casts each conv/linear input per op, so the call runs. But the same model "
        "call crashes the moment it runs without autocast — the validation cell, an "
        "inference script, a CPU run of a `'cuda'` autocast — with `RuntimeError: Input type "
        "(c10::BFloat16) and bias type (float) should be the same`. Under autocast a float32 "
        "input gives bitwise-identical training (the first conv casts it to bf16 anyway), so "
        "the cast costs nothing and removes the trap."
    ),
    example="""
for batch in train_loader:                       # images cached as bf16
    batch = {k: v.to(device) for k, v in batch.items()}
    with torch.autocast(device.type, dtype=torch.bfloat16):
        loss = criterion(model(batch["image"]), batch["label"])   # BFD002
""",
    use_instead="""
for batch in train_loader:
    batch = {k: v.to(device) for k, v in batch.items()}
    batch["image"] = batch["image"].float()
    with torch.autocast(device.type, dtype=torch.bfloat16):
        loss = criterion(model(batch["image"]), batch["label"])
""",
    fix_safety=(
        "Safe, as for BFD001: only the image tensor is cast, after the device move. Under "
        "autocast the results are bitwise identical; outside it the call stops crashing."
    ),
    references=(
        "facebookresearch/sam3 PR #350 (code silently relied on autocast)",
        "MouseLand/cellpose#1254 (train/validation asymmetry)",
    ),
    valid=(
        Example(
            """
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224)
with torch.autocast("cuda", dtype=torch.bfloat16):
    out = model(images)
"""
        ),
    ),
    invalid=(
        Example(
            """
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16).cuda()
with torch.autocast("cuda", dtype=torch.bfloat16):
    out = model(images)
""",
            line=6,
            fixed="""
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16).cuda()
images = images.float()
with torch.autocast("cuda", dtype=torch.bfloat16):
    out = model(images)
""",
        ),
    ),
)


def matches(hit) -> bool:
    # A 'cuda' autocast with a device chosen at run time protects the GPU run only: the
    # call relies on it (BFD003 marks the autocast itself).
    return hit.protection in ("protected", "cuda_only")


def message(hit, where=script_lines) -> str:
    return (
        f"{provenance(hit, where)} and enters {hit.weights} backbone {backbone(hit, where)}; it runs only because of the "
        f"autocast at {where(hit.autocast_line)} and crashes wherever this code runs without it "
        f"(validation, inference, CPU): {remedy(hit)}"
    )
