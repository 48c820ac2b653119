import torch
from transformers import AutoModel, AutoImageProcessor

CKPT = "microsoft/resnet-50"
DINO = "facebook/dinov2-small"
resnet = AutoModel.from_pretrained(CKPT).cuda()
dino = AutoModel.from_pretrained(DINO).cuda()
inputs = AutoImageProcessor.from_pretrained(CKPT)(images=img, return_tensors="pt").to("cuda", torch.bfloat16)
a = resnet(**inputs)  # expect: BFD001
b = dino(**inputs)
