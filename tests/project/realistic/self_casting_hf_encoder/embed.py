import torch

from encoders import DinoEncoder

encoder = DinoEncoder().cuda().eval()
pixel_values = torch.randn(2, 3, 224, 224, device="cuda", dtype=torch.bfloat16)
with torch.no_grad():
    print(encoder(pixel_values).shape)
