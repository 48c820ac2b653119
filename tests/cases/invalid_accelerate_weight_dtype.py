import timm
import torch
from accelerate import Accelerator

accelerator = Accelerator(mixed_precision="bf16")
weight_dtype = torch.float32
if accelerator.mixed_precision == "fp16":
    weight_dtype = torch.float16
elif accelerator.mixed_precision == "bf16":
    weight_dtype = torch.bfloat16

image_encoder = timm.create_model("vit_base_patch16_224", pretrained=True, num_classes=0)
image_encoder.requires_grad_(False)
image_encoder.to(accelerator.device)
adapter = torch.nn.Linear(768, 1024)
adapter, optimizer, train_dataloader = accelerator.prepare(adapter, optimizer, train_dataloader)

for step, batch in enumerate(train_dataloader):
    pixel_values = batch["pixel_values"].to(accelerator.device, dtype=weight_dtype)
    with torch.no_grad():
        image_embeds = image_encoder(pixel_values)  # expect: BFD001
    loss = adapter(image_embeds.float()).pow(2).mean()
    accelerator.backward(loss)
