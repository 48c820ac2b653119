import torch
from torch.utils.data import DataLoader, IterableDataset


class ShardStream(IterableDataset):
    def __init__(self, shards):
        self.shards = shards

    def __iter__(self):
        for shard in self.shards:
            data = torch.load(shard)
            for img, lbl in zip(data["images"], data["labels"]):
                yield img.to(torch.bfloat16), lbl


model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda().eval()
loader = DataLoader(ShardStream(["a.pt", "b.pt"]), batch_size=128)
with torch.no_grad():
    for img, lbl in loader:
        emb = model(img.cuda())  # expect: BFD001
