# Scalar arithmetic, 0-dim tensors and in-place ops keep bf16.
import timm
import torch

model = timm.create_model("resnet50", pretrained=True).cuda()
mean = torch.tensor([0.485, 0.456, 0.406], device="cuda").view(1, 3, 1, 1)


def step(raw):
    x = raw.cuda().to(torch.bfloat16)
    x = x / 255.0
    x = x - 0.5
    x = x - torch.tensor(0.5)
    return model(x)  # expect: BFD001


def step_inplace(raw):
    x = raw.to("cuda", dtype=torch.bfloat16)
    x.sub_(mean).div_(0.229)
    x -= mean
    return model(x)  # expect: BFD001
