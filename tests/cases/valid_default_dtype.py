# torch.set_default_dtype(torch.bfloat16) before construction makes the backbone bf16.
import timm
import torch

torch.set_default_dtype(torch.bfloat16)
model = timm.create_model("vit_small_patch16_224", pretrained=True)
x = torch.randn(1, 3, 224, 224).to(torch.bfloat16)
model(x)
