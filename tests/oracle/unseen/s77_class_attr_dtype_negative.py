"""Dataset with a class-level dtype overridden to fp32 by a subclass (negative)."""
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class Base(Dataset):
    dtype = torch.bfloat16

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return torch.rand(3, 32, 32).to(self.dtype)


class EvalSet(Base):
    dtype = torch.float32


model = models.resnet18(weights="DEFAULT").cuda().eval()
with torch.no_grad():
    for x in DataLoader(EvalSet(), batch_size=2):
        print(model(x.cuda()).shape)
