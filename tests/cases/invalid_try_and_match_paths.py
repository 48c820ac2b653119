# try/except and match are edges: the state a handler or a case leaves goes on after it.
import timm
import torch

model = timm.create_model("resnet50", pretrained=True).cuda()
x = torch.load("x.pt").cuda()
try:
    y = torch.load("cache_bf16.pt").cuda()
    y = y.float()
except FileNotFoundError:
    y = x.to(torch.bfloat16)
model(y)  # expect: BFD001


def by_mode(mode, t):
    match mode:
        case "low":
            t = t.bfloat16()
        case "full":
            t = t.float()
    return model(t)  # expect: BFD001
