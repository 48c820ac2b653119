import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import resnet50, ResNet50_Weights

ap = argparse.ArgumentParser()
ap.add_argument("--bf16-cache", action="store_true")
opts = ap.parse_args()

images = torch.rand(16, 3, 32, 32)
if opts.bf16_cache:
    images = images.to(torch.bfloat16)          # keep the whole split in GPU memory
loader = DataLoader(TensorDataset(images, torch.randint(0, 1000, (16,))), batch_size=256)

net = resnet50(weights=ResNet50_Weights.DEFAULT).cuda().eval()
with torch.no_grad():
    for x, y in loader:
        x = x.cuda()
        if opts.bf16_cache:
            x = x.float()
        acc = (net(x).argmax(1).cpu() == y).float().mean()

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: F1
# label: quiet
# argv: --bf16-cache
# adapted: torch.load("val_x.pt") -> torch.rand(16, 3, 32, 32) (line 11),
#   torch.load("val_y.pt") -> torch.randint(0, 1000, (16,)) (line 14)
