import contextlib
import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()
amp = False
ctx = torch.autocast("cuda", dtype=torch.bfloat16) if amp else contextlib.nullcontext()
x = x.cuda().bfloat16()
with ctx:
    y = model(x)  # expect: BFD001
