import torch

from models import build_model

model = build_model("dinov2_s").cuda()
x = torch.rand(2, 3, 224, 224).cuda().bfloat16()
print(model(x).shape)
