import torch

backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vitl14").cuda().eval()


def prepare(images, device):
    images = images.to(device, non_blocking=True)
    return images.to(torch.bfloat16)


@torch.no_grad()
def extract(loader, device="cuda"):
    feats = []
    for images, _ in loader:
        feats.append(backbone(prepare(images, device)))  # expect: BFD001
    return torch.cat(feats)
