import timm
import torch

model = timm.create_model("convnext_small", pretrained=True).cuda().eval()
model = torch.compile(model, mode="reduce-overhead")

for images, labels in loader:
    images = images.cuda(non_blocking=True).bfloat16()
    with torch.inference_mode():
        logits = model(images)  # expect: BFD001
