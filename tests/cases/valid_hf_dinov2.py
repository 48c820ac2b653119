import torch
from transformers import AutoImageProcessor, AutoModel

processor = AutoImageProcessor.from_pretrained("facebook/dinov2-base")
model = AutoModel.from_pretrained("facebook/dinov2-base").cuda()
inputs = processor(images=images, return_tensors="pt").to("cuda", torch.bfloat16)
with torch.no_grad():
    cls = model(**inputs).last_hidden_state[:, 0]
