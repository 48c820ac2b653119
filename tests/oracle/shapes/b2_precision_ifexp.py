import open_clip
import torch


def build_scorer(use_bf16: bool):
    precision = "bf16" if use_bf16 else "fp32"
    model, _, _ = open_clip.create_model_and_transforms(
        "ViT-B-32", pretrained="laion2b_s34b_b79k", precision=precision)
    in_dtype = torch.bfloat16 if use_bf16 else torch.float32
    return model.cuda().eval(), in_dtype


def score(images, use_bf16):
    model, in_dtype = build_scorer(use_bf16)
    with torch.no_grad():
        return model.encode_image(images.cuda().to(in_dtype))


import sys

print(score(torch.rand(2, 3, 32, 32), "--bf16" in sys.argv).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: B2
# label: quiet
# argv: --bf16
# adapted: a call of score() added at the bottom; use_bf16 comes from the command line (on),
#   so the call site binds no literal flag the snippet did not have
