import torch
from torchvision.models import regnet_y_800mf, RegNet_Y_800MF_Weights


@torch.no_grad()
def top1(net, loader):
    hits = seen = 0
    for x, y in loader:
        x = x.to("cuda", dtype=torch.bfloat16, non_blocking=True)
        hits += (net(x).argmax(1).cpu() == y).sum().item()
        seen += y.numel()
    return hits / seen


print(top1(regnet_y_800mf(weights=RegNet_Y_800MF_Weights.DEFAULT).cuda().eval(), [(torch.rand(4, 3, 32, 32), torch.randint(0, 1000, (4,)))]))

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: I1
# label: BFD001 at line 10
# adapted: torch.load("val_loader.pt") -> a one-batch synthetic list of (images, labels) (line 15)
