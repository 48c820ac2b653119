# A processor output moved with .to(device, dtype=torch.bfloat16) is a mapping: writing
# its "pixel_values" entry back normalised with float32 mean/std makes that entry float32.
import torch
from transformers import AutoImageProcessor, ResNetModel

processor = AutoImageProcessor.from_pretrained("microsoft/resnet-18")
net = ResNetModel.from_pretrained("microsoft/resnet-18").cuda().eval()
mean = torch.tensor([0.485, 0.456, 0.406], device="cuda").view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device="cuda").view(1, 3, 1, 1)
inputs = processor(images=photos, return_tensors="pt").to("cuda", dtype=torch.bfloat16)
inputs["pixel_values"] = (inputs["pixel_values"] - mean) / std
out = net(inputs["pixel_values"])
