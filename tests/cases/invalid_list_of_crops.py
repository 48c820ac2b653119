import torch

teacher = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14").cuda().eval()
for crops, _ in loader:
    crops = [c.cuda(non_blocking=True).to(torch.bfloat16) for c in crops]
    with torch.no_grad():
        outs = [teacher(c) for c in crops]  # expect: BFD001
        g = teacher(torch.cat(crops[:2]))  # expect: BFD001
