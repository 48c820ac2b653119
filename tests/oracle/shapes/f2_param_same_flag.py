import timm
import torch


class FeatureBank:
    def __init__(self, tensors, compact):
        self.compact = compact
        self.data = tensors.bfloat16() if compact else tensors

    def batches(self, size):
        for i in range(0, len(self.data), size):
            chunk = self.data[i:i + size].cuda()
            yield chunk.float() if self.compact else chunk


def extract(tensors, compact):
    bank = FeatureBank(tensors, compact)
    net = timm.create_model("convnext_tiny", pretrained=True, num_classes=0).cuda().eval()
    return [net(b) for b in bank.batches(128)]


import sys

print(len(extract(torch.rand(8, 3, 32, 32), "--compact" in sys.argv)))

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: F2
# label: quiet
# argv: --compact
# adapted: a call of extract() added at the bottom; compact comes from the command line (on),
#   so the call site binds no literal flag the snippet did not have
