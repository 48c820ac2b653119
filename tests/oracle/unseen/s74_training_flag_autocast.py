"""Wrapper that autocasts only while training; evaluation feeds bf16 frames."""
import torch
import torch.nn as nn
import timm


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = timm.create_model("convnext_tiny", pretrained=True, num_classes=0)

    def forward(self, x):
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=self.training):
            return self.backbone(x)


net = Net().cuda().eval()
frames = torch.rand(2, 3, 32, 32, device="cuda", dtype=torch.bfloat16)
with torch.no_grad():
    print(net(frames).shape)
