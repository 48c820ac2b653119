import open_clip
import torch
from models.backbone import build_backbone
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    mixed_precision = "bf16"
    cast_dtype = torch.bfloat16 if mixed_precision == "bf16" else torch.float32

    dataset = datasets.ImageFolder("images/train", transform=v2.Compose([v2.ToImage(), v2.Resize((32, 32), antialias=True), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])]))
    batches = DataLoader(dataset, batch_size=2, shuffle=False)

    model = build_backbone()
    model = model.cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)

    model.train()
    for pixels, y in batches:
        pixels, y = pixels.to(device, non_blocking=True), y.to(device)
        pixels = pixels.to(dtype=cast_dtype)
        pixels = pixels.to(next(model.parameters()).dtype)
        out = model.encode_image(pixels)
        loss = out.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    main()
