import torch
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models import resnet50, ResNet50_Weights
from torchvision.transforms import v2


def make_loader(root, bf16=True):
    steps = [v2.ToImage(), v2.Resize((224, 224), antialias=True)]
    steps.append(v2.ToDtype(torch.bfloat16 if bf16 else torch.float32, scale=True))
    return DataLoader(datasets.CIFAR10(root, train=False, download=True, transform=v2.Compose(steps)),
                      batch_size=256)


def evaluate(root):
    net = resnet50(weights=ResNet50_Weights.IMAGENET1K_V2).cuda().eval()
    correct = 0
    with torch.no_grad():
        for x, y in make_loader(root):
            correct += (net(x.cuda()).argmax(1).cpu() == y).sum().item()
    return correct


print(evaluate("data/cifar10"))

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: C2
# label: BFD001 at line 20
# adapted: a call of evaluate() added at the bottom (CIFAR10 is synthetic under the oracle)
