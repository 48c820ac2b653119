import torch
import timm


@torch.no_grad()
def validate(model, loader, device):
    model.eval()
    for images, labels in loader:
        images = images.to(device, non_blocking=True)
        logits = model(images)  # expect: BFD001


def train(model, loader, device):
    for images, labels in loader:
        images = images.to(device, non_blocking=True)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16):
            loss = torch.nn.functional.cross_entropy(model(images), labels.to(device))  # expect: BFD002
        loss.backward()


def main():
    device = torch.device("cuda")
    model = timm.create_model("resnet34", pretrained=True).to(device)
    data = torch.load("cache.pt")
    images = data["images"].to(torch.bfloat16)
    ds = torch.utils.data.TensorDataset(images, data["labels"])
    loader = torch.utils.data.DataLoader(ds, batch_size=64)
    train(model, loader, device)
    validate(model, loader, device)


main()
