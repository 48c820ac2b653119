"""DINO v1 and v2 from torch.hub, loaded with keyword arguments."""
import torch

v1 = torch.hub.load(repo_or_dir="facebookresearch/dino", model="dino_vits16", trust_repo=True).cuda().eval()
v2 = torch.hub.load(repo_or_dir="facebookresearch/dinov2", model="dinov2_vitb14", source="github").cuda().eval()

x = torch.rand(1, 3, 32, 32, device="cuda").to(torch.bfloat16)
with torch.no_grad():
    a = v1(x)
print(a.shape)
