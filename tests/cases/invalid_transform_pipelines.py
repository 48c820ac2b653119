# bf16 made inside a transform pipeline: ConvertImageDtype, v2.ToDtype in a list built by
# append, Lambda inside Compose called by a user Dataset, a user chain of callables.
import timm
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, transforms as T
from torchvision.transforms import v2

encoder = timm.create_model("resnet50", pretrained=True).cuda().eval()

eval_tf = T.Compose([T.Resize(256), T.ToTensor(), T.ConvertImageDtype(torch.bfloat16)])
for imgs, _ in DataLoader(datasets.ImageFolder("data/val", eval_tf), batch_size=64):
    encoder(imgs.cuda())  # expect: BFD001

steps = [v2.ToImage(), v2.Resize((224, 224), antialias=True)]
steps.append(v2.ToDtype(torch.bfloat16, scale=True))
for x, y in DataLoader(datasets.CIFAR10("data", train=False, transform=v2.Compose(steps)), batch_size=256):
    encoder(x.cuda())  # expect: BFD001


class Tiles(Dataset):
    def __init__(self, paths, transform):
        self.paths, self.transform = paths, transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.transform(load_image(self.paths[i])), i


lowp = T.Compose([T.ToTensor(), T.Lambda(lambda t: t.to(torch.bfloat16))])
for tiles, idx in DataLoader(Tiles(["a.png"], lowp), batch_size=8):
    encoder(tiles.cuda())  # expect: BFD001


class Chain:
    def __init__(self, *steps):
        self.steps = steps

    def __call__(self, x):
        for step in self.steps:
            x = step(x)
        return x


class Rescale:
    def __call__(self, x):
        return x / 255.0


class Half:
    def __call__(self, x):
        return x.bfloat16()


frames = torch.load("frames.pt")
encoder(Chain(Rescale(), Half())(frames).cuda())  # expect: BFD001
