"""Fine-tune a pretrained backbone."""
import timm
import torch
from torch.utils.data import DataLoader, Dataset


class GPUCachedDataset(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        return {"img": image, "label": self.labels[i]}


def build_backbone():
    net = timm.create_model("deit_small_patch16_224", pretrained=True)
    return net.eval()


def train_one_epoch(backbone, train_loader):
    for batch in train_loader:
        batch = {key: value.to(device, non_blocking=True) for key, value in batch.items()}
        batch["img"] = batch["img"].to(dtype=torch.bfloat16)
        batch["img"] = batch["img"].float() if batch["img"].is_floating_point() else batch["img"]
        out = backbone(batch["img"])
        loss = out.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


device = torch.device("cuda")

dataset = GPUCachedDataset(torch.rand(6, 3, 32, 32), torch.randint(0, 10, (6,)), use_bf16=False)
train_loader = DataLoader(dataset, batch_size=2)

backbone = build_backbone()
backbone.to(device)
optimizer = torch.optim.SGD(backbone.parameters(), lr=0.01)

backbone.train()
train_one_epoch(backbone, train_loader)
