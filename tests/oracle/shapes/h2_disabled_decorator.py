import torch
import torch.nn as nn
from torchvision.models import swin_t, Swin_T_Weights


class FrozenTrunk(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = swin_t(weights=Swin_T_Weights.DEFAULT).eval()

    @torch.autocast(device_type="cuda", enabled=False)
    def forward(self, x):
        return self.body(x)


trunk = FrozenTrunk().cuda()
cache = torch.rand(2, 3, 32, 32).cuda().bfloat16()
with torch.autocast("cuda", dtype=torch.bfloat16):
    emb = trunk(cache)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: H2
# label: BFD001 at line 19
# adapted: torch.load("tiles.pt") -> torch.rand(2, 3, 32, 32) (line 17)
