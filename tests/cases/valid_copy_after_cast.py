# A deep copy taken after the cast is bf16 too; a shallow copy.copy shares the weights,
# so casting the original casts what the copy holds.
import copy

import timm
import torch

net = timm.create_model("convnext_nano", pretrained=True).cuda().bfloat16()
ema = copy.deepcopy(net)
x = torch.load("batch.pt").cuda().bfloat16()
ema_out = ema(x)

other = timm.create_model("resnet50", pretrained=True).cuda()
alias = copy.copy(other)
other.bfloat16()
alias_out = alias(x)
