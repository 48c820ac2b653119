import torch
from torchvision import transforms as T


def build_transforms(dtype=torch.float32, size=224):
    return T.Compose([
        T.Resize(size),
        T.CenterCrop(size),
        T.ToTensor(),
        T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
        T.ConvertImageDtype(dtype),
    ])
