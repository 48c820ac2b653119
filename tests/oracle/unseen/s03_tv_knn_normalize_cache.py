"""k-NN eval on frozen ResNet-50 features; the image cache is kept in bf16 to save memory."""
import torch
import torch.nn.functional as F
from torchvision import models
from torchvision.models import ResNet50_Weights

DEVICE = "cuda"
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


class TensorCache:
    """Keeps uint8 images decoded once, as bf16 in [0, 1]."""

    def __init__(self, n, size=64, num_classes=5):
        raw = torch.randint(0, 256, (n, 3, size, size), dtype=torch.uint8)
        self.images = (raw.float() / 255.0).to(torch.bfloat16)
        self.labels = torch.randint(0, num_classes, (n,))

    def batches(self, bs):
        for i in range(0, len(self.images), bs):
            yield self.images[i:i + bs], self.labels[i:i + bs]


def knn_predict(feats, bank, bank_labels, k=3, num_classes=5):
    sim = feats @ bank.T
    topk, idx = sim.topk(k, dim=1)
    votes = F.one_hot(bank_labels[idx], num_classes).float() * topk.unsqueeze(-1).exp()
    return votes.sum(1).argmax(1)


@torch.no_grad()
def extract(model, cache, bs=4):
    feats, labels = [], []
    mean, std = MEAN.to(DEVICE), STD.to(DEVICE)
    for x, y in cache.batches(bs):
        x = x.to(DEVICE, non_blocking=True)
        x = (x - mean) / std  # fp32 stats: the batch comes out float32
        f = model(x)
        feats.append(F.normalize(f, dim=1))
        labels.append(y)
    return torch.cat(feats), torch.cat(labels)


def main():
    backbone = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V2)
    backbone.fc = torch.nn.Identity()
    backbone = backbone.to(DEVICE).eval()

    train = TensorCache(12)
    test = TensorCache(6)
    bank, bank_labels = extract(backbone, train)
    feats, labels = extract(backbone, test)
    pred = knn_predict(feats, bank, bank_labels)
    acc = (pred == labels).float().mean().item()
    print(f"kNN top-1: {acc * 100:.1f}%")


if __name__ == "__main__":
    main()
