import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()


@torch.autocast("cuda", dtype=torch.bfloat16)
def infer(net, x):
    return net(x)  # expect: BFD002


def run(loader):
    for x, _ in loader:
        infer(model, x.cuda().bfloat16())
