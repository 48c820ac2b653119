# The same dtype variable is applied to the model and the batch.
import torch

dtype = torch.bfloat16 if cfg.use_bf16 else torch.float32
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14").to("cuda", dtype=dtype)
for images, _ in loader:
    images = images.to("cuda", dtype=dtype)
    model(images)
