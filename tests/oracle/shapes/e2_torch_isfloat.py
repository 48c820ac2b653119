import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda().eval()
cache = torch.rand(8, 3, 32, 32).to(torch.bfloat16)


def infer(idx):
    x = cache[idx].cuda()
    if torch.is_floating_point(x):
        x = x.float()
    return model(x)


print(infer(slice(0, 2)).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: E2
# label: quiet
# adapted: torch.load("cache.pt") -> torch.rand(8, 3, 32, 32) (line 5); a call of infer() with a slice at the bottom
