# The same mutations with float32 tensors, or with the bf16 values cast back: quiet.
import timm
import torch

net = timm.create_model("resnet50", pretrained=True).cuda().eval()


def appended(paths):
    chunks = []
    for p in paths:
        chunks.append(torch.load(p).cuda().bfloat16().float())
    return net(torch.cat(chunks))


def updated(sample):
    item = {"image": sample["image"].cuda().bfloat16(), "label": sample["label"]}
    item.update(image=item["image"].float())
    return net(item["image"])


def stored_under_a_run_time_key(sample):
    ready = {}
    for name, tensor in sample.items():
        ready[name] = tensor.cuda().float()
    return net(ready["pixels"])


def branch_not_taken(image):
    views = [image.cuda().float()]
    if False:
        views.append(image.cuda().bfloat16())
    return [net(v) for v in views]
