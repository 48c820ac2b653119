"""Training script with a Lightning-style precision string handled by hand."""
import argparse
import contextlib

import torch
import torch.nn.functional as F
from torchvision.models import wide_resnet50_2, Wide_ResNet50_2_Weights

parser = argparse.ArgumentParser()
parser.add_argument("--precision", default="bf16-mixed",
                    choices=["32", "16-mixed", "bf16-mixed", "bf16-true"])
parser.add_argument("--steps", type=int, default=2)
args = parser.parse_args()

half = args.precision in ("bf16", "bf16-mixed", "bf16-true")
input_dtype = torch.bfloat16 if half else torch.float32
if args.precision.endswith("mixed"):
    ctx = torch.autocast("cuda", dtype=torch.bfloat16 if "bf16" in args.precision else torch.float16)
else:
    ctx = contextlib.nullcontext()

model = wide_resnet50_2(weights=Wide_ResNet50_2_Weights.DEFAULT).cuda()
if args.precision == "bf16-true":
    model = model.bfloat16()
opt = torch.optim.SGD(model.parameters(), lr=0.01)

for step in range(args.steps):
    x = torch.rand(2, 3, 32, 32, device="cuda", dtype=input_dtype)
    y = torch.randint(0, 1000, (2,), device="cuda")
    with ctx:
        loss = F.cross_entropy(model(x).float(), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
