import torch
import timm

model = timm.create_model("convnext_base", pretrained=True, features_only=True).cuda()
for batch in loader:
    images = batch["image"].cuda()
    masks = batch["mask"].cuda().to(torch.bfloat16)
    feats = model(images)
    loss = (feats[-1].mean(1, keepdim=True) * masks).mean()
