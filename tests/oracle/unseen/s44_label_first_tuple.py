"""Dataset yielding (label, image, path); images are kept bf16 after a torch.from_numpy decode."""
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
import timm


class NpyImages(Dataset):
    def __init__(self, n=6):
        self.arrays = [np.random.rand(32, 32, 3).astype(np.float32) for _ in range(n)]
        self.norm = transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))

    def __len__(self):
        return len(self.arrays)

    def __getitem__(self, i):
        img = torch.from_numpy(self.arrays[i]).permute(2, 0, 1).to(torch.bfloat16)
        return i % 2, self.norm(img), f"img_{i}.npy"


loader = DataLoader(NpyImages(), batch_size=3)
model = timm.create_model("efficientnet_b0", pretrained=True, num_classes=2).cuda().eval()
with torch.no_grad():
    for label, image, path in loader:
        pred = model(image.cuda()).argmax(-1)
        print(list(path), pred.tolist(), label.tolist())
