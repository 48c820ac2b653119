import torch


def to_fp32(t):
    if t.dtype == torch.bfloat16:
        return t.float()
    return t


model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
for images, _ in loader:
    images = images.cuda().to(torch.bfloat16)
    feats = model(to_fp32(images))
