import torch
from PIL import Image
from transformers import AutoImageProcessor, AutoModel

device = "cuda"
processor = AutoImageProcessor.from_pretrained("facebook/convnext-tiny-224")
model = AutoModel.from_pretrained("facebook/convnext-tiny-224").to(device)

image = Image.open("cat.jpg")
inputs = processor(images=image, return_tensors="pt").to(device, torch.bfloat16)
with torch.no_grad():
    outputs = model(**inputs)  # expect: BFD001
print(outputs.pooler_output.shape)
