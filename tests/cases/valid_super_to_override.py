# diffusers' ModelMixin overrides to() and forwards with super().to(*args, **kwargs): the
# forwarded call is nn.Module.to, so the cast reaches the backbone and bf16 input matches it.
import torch
import torch.nn as nn
from torchvision.models import efficientnet_v2_s


class Mixin(nn.Module):
    def to(self, *args, **kwargs):
        return super().to(*args, **kwargs)

    def bfloat16(self):
        return super().bfloat16()

    def type(self, dst_type):
        return nn.Module.type(self, dst_type)


class Encoder(Mixin):
    def __init__(self):
        super().__init__()
        self.backbone = efficientnet_v2_s(weights="DEFAULT").features

    def forward(self, x):
        return self.backbone(x)


device = "cuda"
encoder = Encoder()
encoder.to(device, dtype=torch.bfloat16)
batch = {"pixel_values": torch.rand(2, 3, 64, 64)}
encoder(batch["pixel_values"].to(torch.bfloat16))

positional = Encoder().to(torch.bfloat16)  # the override returns self, cast
positional(torch.rand(2, 3, 64, 64, dtype=torch.bfloat16))

shortcut = Encoder().bfloat16()
shortcut(torch.rand(2, 3, 64, 64).bfloat16())

typed = Encoder()
typed.type(torch.bfloat16)
typed(torch.rand(2, 3, 64, 64).to(torch.bfloat16))
