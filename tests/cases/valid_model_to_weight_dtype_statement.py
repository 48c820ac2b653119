import torch
import timm
from accelerate import Accelerator

accelerator = Accelerator(mixed_precision="bf16")
weight_dtype = torch.bfloat16 if accelerator.mixed_precision == "bf16" else torch.float32
image_encoder = timm.create_model("vit_large_patch14_clip_224.openai", pretrained=True, num_classes=0)
image_encoder.requires_grad_(False)
image_encoder.to(accelerator.device, dtype=weight_dtype)
for batch in loader:
    pixel_values = batch["pixel_values"].to(accelerator.device, dtype=weight_dtype)
    emb = image_encoder(pixel_values)
