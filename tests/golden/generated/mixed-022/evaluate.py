import torch
from torch.utils.data import DataLoader, TensorDataset
from transformers import ResNetModel


def prefetch(loader, device):
    for images, labels in loader:
        yield images.to(device, non_blocking=True), labels.to(device, non_blocking=True)


def train_one_epoch(encoder, train_loader):
    for images, y in prefetch(train_loader, device):
        images = (images - mean) / std
        out = encoder(pixel_values=images).last_hidden_state
        loss = out.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


device = "cuda"

images = torch.rand(4, 3, 32, 32)
labels = torch.randint(0, 10, (4,))
train_loader = DataLoader(TensorDataset(images, labels), batch_size=2)

encoder = ResNetModel.from_pretrained("microsoft/resnet-50")
encoder = encoder.to(device).eval()
mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)
optimizer = torch.optim.AdamW(encoder.parameters(), lr=1e-4)

encoder.train()
train_one_epoch(encoder, train_loader)
