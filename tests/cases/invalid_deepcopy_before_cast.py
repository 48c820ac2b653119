# A deep copy taken before the original is cast keeps the original's float32 weights.
import copy

import timm
import torch
import torch.nn as nn

net = timm.create_model("convnext_nano", pretrained=True)
ema = copy.deepcopy(net)
net = net.cuda().bfloat16()
x = torch.load("batch.pt").cuda().bfloat16()
student_out = net(x)
ema_out = ema(x)  # expect: BFD001


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = timm.create_model("resnet50", pretrained=True)

    def forward(self, images):
        return self.trunk(images)


online = Encoder()
target = copy.deepcopy(online)
online.to(torch.bfloat16)
z_online = online(x)
z_target = target(x)  # expect: BFD001
