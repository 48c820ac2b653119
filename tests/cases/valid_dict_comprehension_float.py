import torch

model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
for batch in bf16_loader:
    batch = {k: v.cuda().to(torch.bfloat16) for k, v in batch.items()}
    batch = {k: (v.float() if v.dtype == torch.bfloat16 else v) for k, v in batch.items()}
    feats = model(batch["image"])
