import argparse

import torch
from transformers import AutoModelForImageClassification

CHECKPOINTS = {
    "r50": "microsoft/resnet-50",
    "cnx-t": "facebook/convnext-tiny-224",
}


def run(arch, loader, bf16=True):
    clf = AutoModelForImageClassification.from_pretrained(CHECKPOINTS[arch]).cuda()
    cast_to = torch.bfloat16 if bf16 else torch.float32
    for imgs, _ in loader:
        imgs = imgs.cuda(non_blocking=True).to(cast_to)
        yield clf(imgs).logits


import os

print(len(list(run(os.environ.get("ARCH", "r50"), [(torch.rand(2, 3, 32, 32), torch.zeros(2))]))))

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: A4
# label: BFD001 at line 17
# adapted: the generator run() consumed at the bottom with a one-batch synthetic loader; the arch comes
#   from the environment (default "r50"), so the call site binds no literal the snippet did not have
