"""Train/val split of a bf16 tensor dataset; the val loop has no autocast."""
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split, Subset
import timm

full = TensorDataset(torch.rand(10, 3, 32, 32).bfloat16(), torch.randint(0, 2, (10,)))
train_ds, val_ds = random_split(full, [8, 2], generator=torch.Generator().manual_seed(0))
probe_ds = Subset(val_ds, [0])

model = timm.create_model("mobilenetv3_large_100", pretrained=True, num_classes=2).cuda()

with torch.no_grad():
    for x, y in DataLoader(probe_ds, batch_size=1):
        print(model(x.cuda()).argmax(-1), y)
