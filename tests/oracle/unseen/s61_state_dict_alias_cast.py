"""Checkpointable state dict holding the model; the cast goes through the dict (negative)."""
import torch
import torchvision

state = {"model": torchvision.models.resnet18(weights="DEFAULT").cuda(), "step": 0}
state["model"].to(torch.bfloat16)
model = state["model"].eval()

batch = torch.rand(2, 3, 32, 32, device="cuda").bfloat16()
with torch.no_grad():
    print(model(batch).dtype)
