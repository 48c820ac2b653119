import torch
from torchvision.models import efficientnet_b0, EfficientNet_B0_Weights

net = efficientnet_b0(weights=EfficientNet_B0_Weights.DEFAULT).cuda().eval()


def multi_crop_logits(image, sizes=(160, 224, 288)):
    views = []
    for s in sizes:
        v = torch.nn.functional.interpolate(image[None], size=(s, s), mode="bilinear")
        views += [v.cuda().to(torch.bfloat16)]
    return [net(v) for v in views]


print(len(multi_crop_logits(torch.rand(3, 64, 64))))

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: D4
# label: BFD001 at line 12
# adapted: a call of multi_crop_logits() with a synthetic image added at the bottom
