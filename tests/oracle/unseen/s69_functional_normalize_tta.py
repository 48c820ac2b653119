"""Test-time augmentation (flip) with functional normalization on bf16 frames."""
import torch
import torchvision.transforms.functional as TF
import timm

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]

model = timm.create_model("resnet50", pretrained=True).cuda().eval()
frames = torch.rand(2, 3, 32, 32, device="cuda").to(torch.bfloat16)
frames = TF.normalize(frames, MEAN, STD)
frames = torch.cat([frames, frames.flip(3)])
with torch.no_grad():
    logits = model(frames)
print(logits.view(2, 2, -1).mean(0).argmax(-1))
