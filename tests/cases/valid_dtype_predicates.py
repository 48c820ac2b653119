# Casts guarded by dtype predicates that are true for a bf16 tensor: each upcast runs.
import timm
import torch

model = timm.create_model("resnet50", pretrained=True).cuda().eval()
cache = torch.load("cache.pt").to(torch.bfloat16)


def by_method(idx):
    x = cache[idx].cuda()
    x = x.float() if x.is_floating_point() else x
    return model(x)


def by_function(idx):
    x = cache[idx].cuda()
    if torch.is_floating_point(x):
        x = x.float()
    return model(x)


def by_dtype_attribute(idx):
    x = cache[idx].cuda()
    if x.dtype.is_floating_point and x.dtype.itemsize == 2:
        x = x.to(torch.float32)
    return model(x)


def by_integer_dtype(batch):
    batch = {k: v.cuda() for k, v in batch.items()}
    batch["image"] = cache[0]
    batch = {k: (v.float() if v.dtype != torch.long else v) for k, v in batch.items()}
    return model(batch["image"])


def by_element_size(idx):
    x = cache[idx].cuda()
    if x.element_size() < 4:
        x = x.float()
    if torch.int64 == x.dtype:
        x = x.bfloat16()
    return model(x)
