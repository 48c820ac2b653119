"""k-NN eval on a pre-extracted tensor dataset; settings come from a JSON string."""
import json

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

SETTINGS = json.loads('{"precision": "bf16", "k": 2, "backbone": "dinov2_vits14"}')


def get_loader(n=6):
    x = torch.rand(n, 3, 28, 28)
    y = torch.arange(n) % 3
    if SETTINGS["precision"] == "bf16":
        x = x.bfloat16()
    return DataLoader(TensorDataset(x, y), batch_size=3)


backbone = torch.hub.load("facebookresearch/dinov2", SETTINGS["backbone"]).cuda().eval()

feats, labels = [], []
with torch.no_grad():
    for x, y in get_loader():
        f = backbone(x.cuda())
        feats.append(F.normalize(f.float(), dim=-1))
        labels.append(y)
feats, labels = torch.cat(feats), torch.cat(labels)
sim = feats @ feats.T
sim.fill_diagonal_(-1)
nn_idx = sim.topk(SETTINGS["k"], dim=-1).indices
acc = (labels[nn_idx[:, 0]] == labels).float().mean()
print("1-NN acc", acc.item())
