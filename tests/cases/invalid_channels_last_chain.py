import torch
import timm

model = timm.create_model("convnextv2_tiny.fcmae_ft_in1k", pretrained=True)
model = model.to("cuda", memory_format=torch.channels_last)
for images, target in loader:
    images = images.to(device="cuda", dtype=torch.bfloat16, non_blocking=True)
    images = images.contiguous(memory_format=torch.channels_last)
    output = model(images)  # expect: BFD001
