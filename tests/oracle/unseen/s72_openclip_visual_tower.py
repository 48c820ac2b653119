"""Calling open_clip's visual tower directly on bf16 crops."""
import numpy as np
import torch
import open_clip

model, _, _ = open_clip.create_model_and_transforms("ViT-B-16", pretrained="laion2b_s34b_b88k")
visual = model.visual.cuda().eval()
crops = torch.tensor(np.random.rand(2, 3, 32, 32), dtype=torch.bfloat16, device="cuda")
with torch.no_grad():
    print(visual(crops).shape)
