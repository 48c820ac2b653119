import torch
import timm

model = timm.create_model("vit_base_patch16_224", pretrained=True).cuda().to(torch.bfloat16)
for images, labels in loader:
    images = images.cuda()
    logits = model(images)
