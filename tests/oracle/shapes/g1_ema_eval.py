import copy

import timm
import torch


def train(loader, val_loader, epochs=10, bf16=True):
    net = timm.create_model("convnext_nano", pretrained=True, num_classes=100)
    ema = copy.deepcopy(net).eval()
    dt = torch.bfloat16 if bf16 else torch.float32
    net = net.cuda().to(dt)
    ema = ema.cuda()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(epochs):
        for x, y in loader:
            x, y = x.cuda().to(dt), y.cuda()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step(); opt.zero_grad()
        with torch.no_grad():
            for x, y in val_loader:
                x = x.cuda().to(dt)
                ema_logits = ema(x)


batch = [(torch.rand(2, 3, 32, 32), torch.randint(0, 100, (2,)))]
train(batch, batch, epochs=1)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: G1
# label: BFD001 at line 22
# adapted: a call of train() with one-batch synthetic loaders and epochs=1 added at the bottom
