# Normalising with float32 mean/std tensors promotes the bf16 batch to float32.
import timm
import torch

model = timm.create_model("vit_base_patch16_224", pretrained=True).cuda()
mean = torch.tensor([0.485, 0.456, 0.406], device="cuda").view(1, 3, 1, 1)
std = torch.as_tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1).cuda()

for images, _ in loader:
    images = images.cuda().to(torch.bfloat16)
    images = (images - mean) / std
    model(images)
