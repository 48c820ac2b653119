import torch
from torch.utils.data import DataLoader, TensorDataset

vit = torch.hub.load("facebookresearch/dinov2", "dinov2_vitl14").cuda().eval()

crops = torch.rand(8, 3, 28, 28)
crops = crops.to(torch.bfloat16)          # 2x smaller, so the whole set fits in host RAM
ids = torch.randint(0, 100, (8,))
dl = DataLoader(TensorDataset(crops, ids), batch_size=64)

out = []
with torch.no_grad():
    for xb, ib in dl:
        xb = xb.cuda(non_blocking=True)
        out.append(vit(xb).cpu())

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: I2
# label: BFD001 at line 15
# adapted: torch.load("crops_fp32.pt") -> torch.rand(8, 3, 28, 28) (line 6),
#   torch.load("crop_ids.pt") -> torch.randint(0, 100, (8,)) (line 8; not torch.arange(len(crops)),
#   which would change the fix gate SHAPES.md describes)
