"""Validation with an autocast chosen by a conditional expression."""
from contextlib import nullcontext

import torch
from torchvision.models import vit_b_32, ViT_B_32_Weights

use_amp = True
amp_dtype = torch.bfloat16

model = vit_b_32(weights=ViT_B_32_Weights.IMAGENET1K_V1).cuda().eval()
val_images = torch.rand(2, 3, 32, 32).to("cuda", amp_dtype)

with torch.no_grad(), (torch.autocast("cuda", dtype=amp_dtype) if use_amp else nullcontext()):
    logits = model(val_images)
print(logits.float().softmax(-1).argmax(-1))
