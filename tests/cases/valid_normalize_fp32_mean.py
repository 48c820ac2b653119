import torch
from torchvision.models import convnext_tiny, ConvNeXt_Tiny_Weights

device = "cuda"
model = convnext_tiny(weights=ConvNeXt_Tiny_Weights.DEFAULT).to(device).eval()
mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)

for batch in loader:
    x = batch["image"].to(device, dtype=torch.bfloat16) / 255.0
    x = (x - mean) / std
    with torch.no_grad():
        logits = model(x)
