from dataclasses import dataclass, field

import torch
from torchvision.models import vit_b_16, ViT_B_16_Weights


@dataclass
class Precision:
    bf16_storage: bool = True


@dataclass
class RunConfig:
    precision: Precision = field(default_factory=Precision)
    batch_size: int = 64


cfg = RunConfig()
store_dtype = torch.bfloat16 if cfg.precision.bf16_storage else torch.float32
pool = torch.rand(128, 3, 32, 32).to(store_dtype)
model = vit_b_16(weights=ViT_B_16_Weights.DEFAULT).cuda().eval()

for i in range(0, len(pool), cfg.batch_size):
    x = pool[i:i + cfg.batch_size].cuda()
    if cfg.precision.bf16_storage:
        x = x.float()
    with torch.no_grad():
        model(x)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: F3
# label: quiet
# adapted: torch.load("pool.pt") -> torch.rand(128, 3, 32, 32) (line 20)
