import torch
from transformers import AutoProcessor, SiglipVisionModel

model = SiglipVisionModel.from_pretrained("google/siglip-base-patch16-224").to("cuda")
processor = AutoProcessor.from_pretrained("google/siglip-base-patch16-224")
inputs = processor(images=images, return_tensors="pt").to("cuda", dtype=torch.bfloat16)
out = model(**inputs).pooler_output
