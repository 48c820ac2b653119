# use_bf16 only turns autocast on and picks the optimizer; masks (not images) are bf16.
import torch

use_bf16 = True
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
optimizer = torch.optim.AdamW(model.parameters(), fused=not use_bf16)

for images, masks in loader:
    images = images.cuda()
    masks = masks.cuda().to(torch.bfloat16)
    with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_bf16):
        feats = model(images)
    loss = (feats.mean() - masks.mean()) ** 2
