import timm
import torch
from accelerate import Accelerator

accelerator = Accelerator(mixed_precision="bf16")
model = timm.create_model("deit_small_patch16_224", pretrained=True)
model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
for images, labels in loader:
    images = images.to(torch.bfloat16)
    with accelerator.autocast():
        out = model(images)  # expect: BFD002
    loss = torch.nn.functional.cross_entropy(out, labels)
    accelerator.backward(loss)
