import torch
import torchvision.transforms.v2 as T
from torchvision.models import resnet18, ResNet18_Weights

device = "cuda"
model = resnet18(weights=ResNet18_Weights.DEFAULT).to(device).eval()
normalize = T.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])

for images, _ in loader:
    images = images.to(device, dtype=torch.bfloat16)
    images = normalize(images)  # Normalize builds mean/std in the input's dtype: stays bf16
    with torch.no_grad():
        out = model(images)  # expect: BFD001
