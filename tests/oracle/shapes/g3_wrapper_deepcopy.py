import copy

import torch
import torch.nn as nn
from torchvision.models import resnet50, ResNet50_Weights


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = resnet50(weights=ResNet50_Weights.DEFAULT)
        self.trunk.fc = nn.Identity()

    def forward(self, x):
        return self.trunk(x)


online = Encoder()
target = copy.deepcopy(online)
online.to(device="cuda", dtype=torch.bfloat16)
target.cuda()
for p in target.parameters():
    p.requires_grad_(False)

views = torch.rand(2, 3, 32, 32).cuda().to(torch.bfloat16)
with torch.no_grad():
    z_target = target(views)
z_online = online(views)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: G3
# label: BFD001 at line 27
# adapted: torch.load("views.pt") -> torch.rand(2, 3, 32, 32) (line 25)
