"""Multi-layer DINOv2 features for a segmentation probe; crops are bf16 from the augmentation
pipeline, and the author assumed DataParallel would handle the dtype."""
import torch
import torch.nn as nn

N_LAYERS = 2


class Augment:
    def __init__(self, dtype=torch.bfloat16):
        self.dtype = dtype

    def __call__(self, x):
        if torch.rand(()) > 0.5:
            x = x.flip(-1)
        return x.to(self.dtype)


backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
backbone = nn.DataParallel(backbone.cuda()).eval()
aug = Augment()

imgs = torch.stack([aug(torch.rand(3, 28, 28)) for _ in range(2)]).cuda()
with torch.no_grad():
    layers = backbone.module.get_intermediate_layers(imgs, n=N_LAYERS, reshape=True)
for i, l in enumerate(layers):
    print(i, tuple(l.shape))
