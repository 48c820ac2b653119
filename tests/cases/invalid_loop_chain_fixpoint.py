# A loop runs to a fixpoint of which names may be bf16: `c` turns bf16 in the first
# iteration, `b` takes it in the second and `a`, which the backbone reads, in the third.
import torch

model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
a = torch.rand(2, 3, 224, 224)
b = torch.rand(2, 3, 224, 224)
c = torch.rand(2, 3, 224, 224)
for step in range(4):
    out = model(a)  # expect: BFD001
    a = b
    b = c
    c = c.bfloat16()
