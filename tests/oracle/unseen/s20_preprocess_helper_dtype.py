"""Classify a few images with a torchvision ResNet-18 through a preprocessing helper."""
import torch
from PIL import Image
from torchvision import transforms
from torchvision.models import resnet18

use_bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
compute_dtype = torch.bfloat16 if use_bf16 else torch.float32

_tf = transforms.Compose([
    transforms.Resize(36),
    transforms.CenterCrop(32),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])


def preprocess(img, device, dtype):
    return _tf(img).unsqueeze(0).to(device=device, dtype=dtype)


def main():
    device = "cuda"
    model = resnet18(pretrained=True).eval().to(device)
    names = ["a.jpg", "b.jpg"]
    with torch.inference_mode():
        for name in names:
            x = preprocess(Image.open(name), device, compute_dtype)
            probs = model(x).softmax(-1)
            print(name, probs.argmax().item())


main()
