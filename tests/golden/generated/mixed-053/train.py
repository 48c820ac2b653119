import timm
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2


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
        return image, self.labels[i]


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = timm.create_model("convnext_nano", pretrained=True, num_classes=0)

    def forward(self, x):
        return self.backbone(x)


def make_runner(net, device):
    def run(t):
        t = t.to(device)
        return net(t)
    return run


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
mixed_precision = "bf16"
amp_dtype = torch.bfloat16 if mixed_precision == "bf16" else torch.float32

dataset = CachedImages(torch.rand(4, 3, 32, 32), torch.randint(0, 10, (4,)), use_bf16=False, transform=v2.Compose([v2.ToDtype(amp_dtype, scale=True), v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])]))
batches = DataLoader(dataset, batch_size=2)

encoder = Encoder()
encoder = encoder.cuda()
optimizer = torch.optim.SGD(encoder.parameters(), lr=1e-4)
runner = make_runner(encoder, device)

encoder.train()
for x, _ in batches:
    with torch.cuda.amp.autocast(dtype=torch.bfloat16):
        logits = runner(x)
    loss = logits.float().pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
