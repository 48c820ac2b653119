"""Quick sanity run: FakeData through a transforms.v2 pipeline into a torchvision ResNet."""
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision.transforms import v2

IMAGE_DTYPE = torch.bfloat16

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomResizedCrop(32, antialias=True),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(IMAGE_DTYPE, scale=True),
    v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])

ds = datasets.FakeData(size=8, image_size=(3, 40, 40), num_classes=10, transform=train_tf)
loader = DataLoader(ds, batch_size=4)

model = models.resnet34(weights=models.ResNet34_Weights.IMAGENET1K_V1)
model.fc = torch.nn.Linear(model.fc.in_features, 10)
model = model.cuda()
opt = torch.optim.SGD(model.parameters(), lr=0.1)

for images, labels in loader:
    images, labels = images.cuda(), labels.cuda()
    out = model(images)
    loss = torch.nn.functional.cross_entropy(out.float(), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"loss {loss.item():.3f}")
