import torch
import open_clip


def run(images, precision):
    low = precision in ("bf16", "bf16-mixed")
    model, _, _ = open_clip.create_model_and_transforms("ViT-B-16", pretrained="openai")
    model = model.cuda().eval()
    images = images.cuda()
    if low:
        images = images.bfloat16()
    # ... augmentation in bf16 ...
    if low:
        images = images.float()
    return model.encode_image(images)


import sys

print(run(torch.rand(2, 3, 32, 32), sys.argv[1]).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: F4
# label: quiet
# argv: bf16
# adapted: a call of run() added at the bottom; the precision comes from the command line ("bf16"),
#   so the call site binds no literal the snippet did not have
