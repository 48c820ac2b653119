"""Smoke test of the training step with a randomly initialised timm model (no download)."""
import torch
import torch.nn.functional as F
import timm

model = timm.create_model("vit_small_patch16_224", pretrained=False, num_classes=4, img_size=32).cuda()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
x = torch.rand(2, 3, 32, 32, device="cuda", dtype=torch.bfloat16)
y = torch.randint(0, 4, (2,), device="cuda")
loss = F.cross_entropy(model(x).float(), y)
loss.backward()
opt.step()
print(loss.item())
