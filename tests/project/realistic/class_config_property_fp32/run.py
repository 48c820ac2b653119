import timm
import torch

from config import cfg

model = timm.create_model("convnext_tiny", pretrained=True).cuda().eval()
images = torch.randn(2, 3, cfg.image_size, cfg.image_size, device="cuda").to(cfg.dtype)
print(model(images).shape)
