# The model is cast to bf16 too: the input bug is gone (a fix would cause the reverse crash).
import timm
import torch
from transformers import ResNetModel

images = torch.rand(8, 3, 224, 224).to("cuda", dtype=torch.bfloat16)

a = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").to(torch.bfloat16).cuda()
a(images)

b = timm.create_model("resnet50", pretrained=True).cuda()
b.bfloat16()
b(images)

d = ResNetModel.from_pretrained("microsoft/resnet-50", torch_dtype=torch.bfloat16)
d(images)

e = timm.create_model("convnext_tiny", pretrained=True)
e = e.to("cuda", dtype=torch.bfloat16)
e(images)
