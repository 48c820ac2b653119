import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.models import resnet18, ResNet18_Weights


class CachedCrops(Dataset):
    def __init__(self, blob, bf16=True):
        self.blob, self.bf16 = blob, bf16

    def __len__(self):
        return len(self.blob["image"])

    def __getitem__(self, i):
        item = {"image": self.blob["image"][i], "target": self.blob["target"][i]}
        if self.bf16:
            item.update(image=item["image"].to(torch.bfloat16))
        return item


model = resnet18(weights=ResNet18_Weights.DEFAULT).cuda().eval()
for batch in DataLoader(CachedCrops({"image": torch.rand(8, 3, 32, 32), "target": torch.randint(0, 1000, (8,))}), batch_size=64):
    out = model(batch["image"].cuda())

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: D3
# label: BFD001 at line 22
# adapted: torch.load("crops.pt") -> an inline dict of synthetic image/target tensors (line 21)
