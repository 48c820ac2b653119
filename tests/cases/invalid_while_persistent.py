import torch

model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
x = torch.rand(1, 3, 224, 224, device="cuda")
steps = 0
while steps < 10:
    out = model(x)  # expect: BFD001
    x = (x + 0.01 * torch.randn_like(x)).bfloat16()
    steps += 1
