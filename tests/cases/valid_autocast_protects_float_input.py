# Float32 images under autocast, and bf16 flags that never touch the data.
import torch
from accelerate import Accelerator

accelerator = Accelerator(mixed_precision="bf16")
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
model = accelerator.prepare(model)
for images, labels in loader:
    with accelerator.autocast():
        out = model(images.to(accelerator.device))
