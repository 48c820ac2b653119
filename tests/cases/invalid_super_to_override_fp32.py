# The same forwarding override, but the cast only moves the model: the backbone stays
# float32 and the bf16 input crashes it.
import torch
import torch.nn as nn
from torchvision.models import efficientnet_v2_s


class Mixin(nn.Module):
    def to(self, *args, **kwargs):
        return super().to(*args, **kwargs)

    def cuda(self, device=None):
        return super().cuda(device)

    def float(self):
        return super().float()


class Encoder(Mixin):
    def __init__(self):
        super().__init__()
        self.backbone = efficientnet_v2_s(weights="DEFAULT").features

    def forward(self, x):
        return self.backbone(x)


device = "cuda"
encoder = Encoder()
encoder.to(device)
batch = {"pixel_values": torch.rand(2, 3, 64, 64)}
encoder(batch["pixel_values"].to(torch.bfloat16))  # expect: BFD001

restored = Encoder().bfloat16().float().cuda()  # back to float32 through the overrides
restored(torch.rand(2, 3, 64, 64).to(device, torch.bfloat16))  # expect: BFD001
