"""Evaluate on the validation split."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def prefetch(loader, device):
    for images, labels in loader:
        yield images.to(device, non_blocking=True), labels.to(device, non_blocking=True)


dev = "cuda"

dataset = datasets.FakeData(size=6, image_size=(3, 32, 32), num_classes=10, transform=transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(), transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))]))
loader = DataLoader(dataset, batch_size=2, shuffle=False)

trunk = models.convnext_tiny(weights=models.ConvNeXt_Tiny_Weights.DEFAULT)
model = nn.Sequential(trunk, nn.Flatten(1))
model = model.to(dev)
mean = torch.tensor([0.485, 0.456, 0.406], device=dev).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=dev).view(1, 3, 1, 1)

model.eval()
with torch.no_grad():
    for inputs_img, y in prefetch(loader, dev):
        inputs_img = (inputs_img - mean) / std
        emb = model(inputs_img)
        print(emb.shape)
