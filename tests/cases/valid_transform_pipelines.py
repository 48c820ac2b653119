# Pipelines that end in float32, or cast to bf16 and back: quiet.
import timm
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

encoder = timm.create_model("resnet50", pretrained=True).cuda().eval()

plain = T.Compose([T.Resize(256), T.ToTensor(), T.Normalize((0.5,), (0.5,))])
for imgs, _ in DataLoader(datasets.ImageFolder("data/val", transform=plain), batch_size=64):
    encoder(imgs.cuda())

round_trip = T.Compose([T.ToTensor(), T.ConvertImageDtype(torch.bfloat16), T.ConvertImageDtype(torch.float32)])
for imgs, _ in DataLoader(datasets.CIFAR10("data", False, round_trip), batch_size=64):
    encoder(imgs.cuda())


class Upcast:
    def __call__(self, x):
        return x.float()


class Half:
    def __call__(self, x):
        return x.bfloat16()


for step in (Half(), Upcast()):
    frames = step(torch.load("frames.pt"))
encoder(frames.cuda())
