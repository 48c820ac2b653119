"""Evaluate on the validation split."""
import timm
import torch
from segment_anything import sam_model_registry
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T


class CachedImages(Dataset):
    def __init__(self, images, labels, use_bf16=False, transform=None):
        self.use_bf16 = use_bf16
        self.images = images
        self.labels = labels
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        if self.transform is not None:
            image = self.transform(image)
        return {"image": image, "label": self.labels[i]}


def train_one_epoch(extractor, val_loader):
    for batch in val_loader:
        batch.update({"image": batch["image"].to(dev)})
        with torch.no_grad():
            target = extractor.image_encoder(batch["image"].float())
        out = student(batch["image"])
        loss = (out.float().mean() - target.float().mean()) ** 2
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


dev = "cuda"

dataset = CachedImages(torch.rand(4, 3, 32, 32), torch.randint(0, 10, (4,)), use_bf16=False, transform=T.Compose([T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)), T.Lambda(lambda t: t.to(torch.bfloat16))]))
val_loader = DataLoader(dataset, batch_size=2)

extractor = sam_model_registry["default"](checkpoint=None)
extractor.to(dev)
student = timm.create_model("resnet18", pretrained=False, num_classes=10).to(dev, dtype=torch.bfloat16)
optimizer = torch.optim.SGD(student.parameters(), lr=1e-4)

student.train()
train_one_epoch(extractor, val_loader)
