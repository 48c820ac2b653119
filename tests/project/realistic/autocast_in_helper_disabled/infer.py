import timm
import torch

from amp_utils import forward_amp

model = timm.create_model("eva02_tiny_patch14_224", pretrained=True).cuda()
images = torch.rand(2, 3, 224, 224, device="cuda").bfloat16()
logits = forward_amp(model, images, enabled=False)
print(logits.shape)
