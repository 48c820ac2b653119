from __future__ import annotations

from ._messages import backbone, crash, provenance, remedy, script_lines
from .base import Example, Rule

RULE = Rule(
    code="BFD001",
    name="bf16-input-to-fp32-backbone",
    severity="error",
    summary="bfloat16 input reaches a float32 pretrained backbone with no autocast around the call",
    what_it_does=(
        "Finds calls where a tensor that is bfloat16 at run time (cast explicitly, through a "
        "dtype variable, or cached as bf16 by a dataset under a `use_bf16`-style flag) is fed "
        "to a pretrained float32 vision backbone that does not cast its own input "
        "(torch.hub DINOv2, timm, torchvision, open_clip, SAM, HF ResNet/ConvNeXt, or an "
        "`nn.Module` wrapper holding one), and no enabled autocast covers the call."
    ),
    why_bad=(
        "The backbone's first convolution or linear layer receives bf16 input and float32 "
        "weights and PyTorch refuses to mix them:\n\n"
        "    RuntimeError: Input type (c10::BFloat16) and bias type (float) should be the same\n\n"
        "(a bias-free conv stem says `Input type (CPUBFloat16Type) and weight type "
        "(torch.FloatTensor) should be the same`, a linear layer `mat1 and mat2 must have the "
        "same dtype, but got BFloat16 and Float`). It is a certain crash, and it usually "
        "happens in the validation or inference loop, hours into a run, because training sat "
        "under autocast and the evaluation code did not."
    ),
    example="""
dataset = GPUCachedDataset(images, labels, use_bf16=True)   # stores images as bf16
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14").to(device)
for batch in DataLoader(dataset, batch_size=32):
    batch = {k: v.to(device) for k, v in batch.items()}
    feats = model(batch["image"])                            # BFD001
""",
    use_instead="""
for batch in DataLoader(dataset, batch_size=32):
    batch = {k: v.to(device) for k, v in batch.items()}
    batch["image"] = batch["image"].float()
    feats = model(batch["image"])
""",
    fix_safety=(
        "Safe: the fix inserts `x = x.float()` (or `batch[\"image\"] = batch[\"image\"].float()`) "
        "right after the statement that moves the batch to the device, casting only the image "
        "tensor (casting every value would turn integer labels into floats). On a float32 "
        "tensor `.float()` returns the same object, so it costs nothing when not needed. "
        "Where the backbone's weights are float16, or bfloat16 on another path (a model cast "
        "in one branch only), `.float()` would crash the other way: the fix casts the input "
        "to the weights' own dtype at the call, `x.to(next(model.parameters()).dtype)`. "
        "When the bf16 comes from an explicit literal cast in the same function that feeds "
        "only backbones, rewriting that cast to float32 is offered as an alternative; it "
        "changes the dtype the author wrote and is unsafe (applied with `--unsafe-fixes`). "
        "No fix is offered when the image key of a dict batch cannot be named."
    ),
    references=(
        "MouseLand/cellpose#1327 (bf16 batch into a SAM ViT wrapper)",
        "kohya-ss/sd-scripts#407",
        "facebookresearch/sam3 PR #350 (worked only under autocast)",
        "`tests/smoke/` in this repository: the fixtures' unfixed loops raise this error for real (CPU torch, a tiny DINOv2-shaped ViT)",
    ),
    valid=(
        Example(
            """
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224).to(torch.bfloat16)
out = model(images.float())
"""
        ),
        Example(
            """
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").to(torch.bfloat16)
images = torch.randn(8, 3, 224, 224).to(torch.bfloat16)
out = model(images)
"""
        ),
    ),
    invalid=(
        Example(
            """
import os
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224).to(torch.bfloat16)
if os.environ.get("BF16_WEIGHTS"):
    model = model.to(torch.bfloat16)
out = model(images)
""",
            line=8,
            fixed="""
import os
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224).to(torch.bfloat16)
if os.environ.get("BF16_WEIGHTS"):
    model = model.to(torch.bfloat16)
out = model(images.to(next(model.parameters()).dtype))
""",
        ),
        Example(
            """
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16)
images = images.to("cuda")
out = model(images)
""",
            line=6,
            fixed="""
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16)
images = images.to("cuda")
images = images.float()
out = model(images)
""",
        ),
    ),
)


def matches(hit) -> bool:
    # A disabled autocast casts nothing, one around the loss only does not cover the call,
    # and a 'cpu' one casts none of the GPU's ops: the call is as bare as one with no
    # autocast (RULES.md: a certain crash; BFD003 marks the autocast).
    return hit.protection in ("none", "disabled", "loss_only", "wrong_device")


def message(hit, where=script_lines) -> str:
    around = {"disabled": f"under the disabled autocast at {where(hit.autocast_line)}",
              "loss_only": f"outside the autocast at {where(hit.autocast_line)}, which covers only later "
                           "statements of the loop",
              "wrong_device": f"under the autocast at {where(hit.autocast_line)}, which is for a device type fixed "
                              "in the code while the device is chosen at run time (it casts nothing on a GPU run)"}.get(hit.protection, "with no autocast around the call")
    return (
        f"{provenance(hit, where)} and enters {hit.weights} backbone {backbone(hit, where)} {around}; it crashes with "
        f"{crash(hit)}: {remedy(hit)}"
    )
