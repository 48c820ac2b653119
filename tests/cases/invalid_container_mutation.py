# Batches and banks built imperatively: bf16 tensors go in by append, extend, insert, +=,
# update, setdefault and stores under a key only known at run time.
import timm
import torch

net = timm.create_model("resnet50", pretrained=True).cuda().eval()


def appended(paths):
    chunks = []
    for p in paths:
        chunks.append(torch.load(p).cuda().bfloat16())
    return net(torch.cat(chunks))  # expect: BFD001


def extended(shards):
    pieces = []
    for shard in shards:
        pieces.extend(torch.load(shard).bfloat16().unbind(0))
    return net(torch.stack(pieces).cuda())  # expect: BFD001


def added(image):
    views = [image.cuda().float()]
    views += [image.cuda().bfloat16()]
    return [net(v) for v in views]  # expect: BFD001


def inserted(image):
    views = []
    views.insert(0, image.cuda().to(torch.bfloat16))
    return net(views[0])  # expect: BFD001


def updated(sample):
    item = {"image": sample["image"].cuda(), "label": sample["label"]}
    item.update(image=item["image"].bfloat16())
    return net(item["image"])  # expect: BFD001


def stored_under_a_run_time_key(sample):
    ready = {}
    for name, tensor in sample.items():
        ready[name] = tensor.cuda().to(torch.bfloat16)
    return net(ready["pixels"])  # expect: BFD001


def set_default(cache, image):
    cache.setdefault("image", image.cuda().bfloat16())
    images = {}
    got = images.setdefault("image", image.cuda().bfloat16())
    return net(got)  # expect: BFD001
