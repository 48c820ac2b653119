import torch
import torch.nn as nn
from torchvision.models import convnext_tiny, ConvNeXt_Tiny_Weights


def prepare(sample, device, low_mem=True):
    ready = {}
    for name, tensor in sample.items():
        if name == "label":
            ready[name] = tensor.to(device)
        else:
            ready[name] = tensor.to(device, dtype=torch.bfloat16 if low_mem else torch.float32)
    return ready


def train(loader, device="cuda"):
    net = convnext_tiny(weights=ConvNeXt_Tiny_Weights.DEFAULT).to(device)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-4)
    for sample in loader:
        sample = prepare(sample, device)
        loss = nn.functional.cross_entropy(net(sample["pixels"]), sample["label"])
        opt.zero_grad(); loss.backward(); opt.step()


train([{"pixels": torch.rand(2, 3, 32, 32), "label": torch.randint(0, 1000, (2,))}])

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: D1
# label: BFD001 at line 21
# adapted: a call of train() with a one-sample synthetic loader added at the bottom
