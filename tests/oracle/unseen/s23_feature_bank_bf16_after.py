"""Retrieval index: features stored in bf16 after the backbone (negative: the images
that reach the backbone are float32)."""
import torch
import torch.nn.functional as F

device = "cuda"
dtype = torch.bfloat16
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14_reg").to(device).eval()


class Index:
    def __init__(self, dim, dtype):
        self.keys = torch.empty(0, dim, dtype=dtype, device=device)
        self.dtype = dtype

    def add(self, feats):
        self.keys = torch.cat([self.keys, F.normalize(feats, dim=-1).to(self.dtype)])

    def search(self, q, k=2):
        sims = F.normalize(q, dim=-1).to(self.dtype) @ self.keys.T
        return sims.float().topk(k, dim=-1)


index = Index(model.embed_dim, dtype)
with torch.no_grad():
    for _ in range(3):
        imgs = torch.rand(2, 3, 28, 28, device=device)
        index.add(model(imgs))
    query = torch.rand(1, 3, 28, 28, device=device)
    scores, ids = index.search(model(query))
print(ids.tolist(), scores.tolist())
