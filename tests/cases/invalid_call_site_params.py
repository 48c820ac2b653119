# The backbone and the loader reach the loop as parameters from call sites in this file.
import torch
from torch.utils.data import DataLoader, TensorDataset


def evaluate(model, loader, device):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for images, labels in loader:
            images = images.to(device)
            out = model(images)  # expect: BFD001
            total += out.sum().item()
    return total


def main():
    device = torch.device("cuda")
    backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14").to(device)
    images = torch.rand(32, 3, 224, 224, dtype=torch.bfloat16)
    loader = DataLoader(TensorDataset(images, torch.zeros(32)), batch_size=8)
    evaluate(backbone, loader, device)


if __name__ == "__main__":
    main()
