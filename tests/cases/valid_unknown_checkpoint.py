import torch
from transformers import AutoModel

model = AutoModel.from_pretrained(args.model_name_or_path).cuda()
pixel_values = batch["pixel_values"].cuda().to(torch.bfloat16)
out = model(pixel_values=pixel_values)
