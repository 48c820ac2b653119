import torch
from omegaconf import OmegaConf
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms.functional import pil_to_tensor


class Folder(Dataset):
    def __init__(self, paths, use_bf16=False):
        self.paths = paths
        self.use_bf16 = use_bf16

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, idx):
        img = pil_to_tensor(Image.open(self.paths[idx]).convert("RGB")).float() / 255.0
        if self.use_bf16:
            img = img.bfloat16()
        return {"image": img, "label": idx % 10}


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        self.head = torch.nn.Linear(384, 10)

    def forward(self, batch):
        return self.head(self.backbone(batch["image"]))


cfg = OmegaConf.load("config.yaml")
loader = DataLoader(Folder(paths, use_bf16=cfg.data.use_bf16), batch_size=16)
net = Net().cuda()
for batch in loader:
    batch = {k: v.cuda() for k, v in batch.items()}
    logits = net(batch)  # expect: BFD001
