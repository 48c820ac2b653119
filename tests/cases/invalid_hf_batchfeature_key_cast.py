import torch
from transformers import AutoImageProcessor, ConvNextModel

processor = AutoImageProcessor.from_pretrained("facebook/convnext-large-224")
model = ConvNextModel.from_pretrained("facebook/convnext-large-224").to("cuda")
inputs = processor(images=frames, return_tensors="pt")
inputs["pixel_values"] = inputs["pixel_values"].to("cuda", torch.bfloat16)
outputs = model(**inputs)  # expect: BFD001
pv = processor(frames, return_tensors="pt").pixel_values.to("cuda", dtype=torch.bfloat16)
outputs2 = model(pixel_values=pv)  # expect: BFD001
