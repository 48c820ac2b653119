import glob

import timm
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Slides(Dataset):
    def __init__(self, pattern, transform):
        self.paths = sorted(glob.glob(pattern)) or [f"tiles/{k}.png" for k in range(4)]
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.transform(Image.open(self.paths[i]).convert("RGB")), i


tfm = transforms.Compose([
    transforms.Resize((224, 224)), transforms.ToTensor(),
    transforms.Lambda(lambda t: t.to(torch.bfloat16)),   # halves host RAM for the tile cache
])
model = timm.create_model("efficientnet_b0", pretrained=True, num_classes=0).cuda().eval()
with torch.no_grad():
    for tiles, idx in DataLoader(Slides("tiles/*.png", tfm), batch_size=128):
        feats = model(tiles.cuda())

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: C3
# label: BFD001 at line 29
# adapted: the glob matches no file in the run's folder, so line 12 falls back to four synthetic
#   paths (PIL.Image.open is synthetic under the oracle)
