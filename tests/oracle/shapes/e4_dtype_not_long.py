import torch
from torchvision.models import resnet101, ResNet101_Weights

net = resnet101(weights=ResNet101_Weights.IMAGENET1K_V2).cuda()


def step(batch):
    batch = {k: v.bfloat16() if k == "image" else v for k, v in batch.items()}   # compact pinned copy
    batch = {k: (v.cuda().float() if v.dtype != torch.int64 else v.cuda()) for k, v in batch.items()}
    return net(batch["image"])


print(step({"image": torch.rand(2, 3, 32, 32), "label": torch.randint(0, 1000, (2,))}).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: E4
# label: quiet
# adapted: a call of step() with a synthetic image/label batch added at the bottom
