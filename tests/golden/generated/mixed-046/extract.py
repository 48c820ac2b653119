import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2


class DinoClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vitl14")

    @torch.cuda.amp.autocast(dtype=torch.bfloat16)
    def forward(self, x):
        return self.backbone(x)


def main():
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    dataset = datasets.FakeData(size=4, image_size=(3, 28, 28), num_classes=10, transform=v2.Compose([v2.ToImage(), v2.Resize((28, 28), antialias=True), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])]))
    batches = DataLoader(dataset, batch_size=2, shuffle=True)

    model = DinoClassifier()
    model.to(dev)

    model.eval()
    with torch.no_grad():
        results = []
        chunks = []
        for t, _ in batches:
            chunks.append(t.to("cuda"))
        inputs_img = torch.cat(chunks)
        logits = model(inputs_img)
        results.append(logits.float().cpu())


if __name__ == "__main__":
    main()
