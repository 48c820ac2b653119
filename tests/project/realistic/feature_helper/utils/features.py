import torch


@torch.no_grad()
def extract_features(model, loader, device="cuda"):
    """Embed every image of the loader (the linear-probe protocol of DINOv2)."""
    model.eval()
    feats, labels = [], []
    for images, targets in loader:
        images = images.to(device, non_blocking=True)
        feats.append(model(images).cpu())
        labels.append(targets)
    return torch.cat(feats), torch.cat(labels)
