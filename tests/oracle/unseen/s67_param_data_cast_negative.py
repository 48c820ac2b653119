"""Manual weight cast through .data (old-style), then bf16 inference (negative)."""
import torch
import timm

model = timm.create_model("deit_small_patch16_224", pretrained=True).cuda().eval()
for p in model.parameters():
    p.data = p.data.to(torch.bfloat16)

x = torch.rand(2, 3, 32, 32, device="cuda", dtype=torch.bfloat16)
with torch.no_grad():
    print(model(x).dtype)
