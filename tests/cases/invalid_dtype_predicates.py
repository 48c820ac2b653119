# Dtype predicates that are false for a bf16 tensor: the guarded upcast never runs.
import timm
import torch

model = timm.create_model("resnet50", pretrained=True).cuda().eval()
cache = torch.load("cache.pt").to(torch.bfloat16)


def wrong_half(idx):
    x = cache[idx].cuda()
    if x.dtype == torch.float16:
        x = x.float()
    return model(x)  # expect: BFD001


def only_integers(idx):
    x = cache[idx].cuda()
    if not x.is_floating_point():
        x = x.float()
    return model(x)  # expect: BFD001


def only_wide(idx):
    x = cache[idx].cuda()
    if x.element_size() > 2:
        x = x.float()
    return model(x)  # expect: BFD001


def only_long(idx):
    x = cache[idx].cuda()
    x = x.float() if x.dtype in (torch.int64, torch.uint8) else x
    return model(x)  # expect: BFD001
