import torch
from transformers import AutoImageProcessor, ResNetForImageClassification

weight_dtype = torch.bfloat16
processor = AutoImageProcessor.from_pretrained("microsoft/resnet-50")
model = ResNetForImageClassification.from_pretrained("microsoft/resnet-50").to("cuda")

for batch in loader:
    pixel_values = batch["pixel_values"].to(torch.bfloat16)
    pixel_values = pixel_values.to("cuda", dtype=model.dtype)
    logits = model(pixel_values=pixel_values).logits
