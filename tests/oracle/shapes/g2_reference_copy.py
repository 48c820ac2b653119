import copy

import torch
import torch.nn.functional as F


def finetune_with_drift_penalty(loader, steps=1000):
    backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
    reference = copy.deepcopy(backbone).requires_grad_(False)   # frozen copy of the start point
    backbone = backbone.cuda().bfloat16()
    reference = reference.cuda()
    opt = torch.optim.AdamW(backbone.parameters(), lr=1e-5)
    for step, images in zip(range(steps), loader):
        images = images.cuda().bfloat16()
        feats = backbone(images)
        with torch.no_grad():
            ref = reference(images)
        loss = F.mse_loss(feats.float(), ref.float())
        loss.backward(); opt.step(); opt.zero_grad()


finetune_with_drift_penalty([torch.rand(2, 3, 28, 28)], steps=1)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: G2
# label: BFD001 at line 17
# adapted: a call with a one-batch synthetic loader and steps=1 added at the bottom
