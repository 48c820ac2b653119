# A batch rebuilt under run-time keys (moved[name] = ...) and read by a wrapper's forward
# as batch["image"]: reported at the wrapper call, the fix names the key the wrapper reads.
import timm
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


def collate_to(items, dtype):
    batch = {"image": torch.stack([item["image"] for item in items]).to(dtype)}
    batch["label"] = torch.tensor([item["label"] for item in items])
    return batch


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = timm.create_model("convnext_nano", pretrained=True, num_classes=10)

    def forward(self, batch):
        feats = self.backbone(batch["image"])
        return feats


samples = [{"image": torch.rand(3, 32, 32), "label": i % 10} for i in range(4)]
loader = DataLoader(samples, batch_size=2, collate_fn=lambda items: collate_to(items, torch.bfloat16))
extractor = Encoder().cuda()
for sample in loader:
    moved = {}
    for name, value in sample.items():
        moved[name] = value.to("cuda")
    sample = moved
    with torch.autocast("cuda", enabled=False):  # expect: BFD003
        out = extractor(sample)  # expect: BFD001
