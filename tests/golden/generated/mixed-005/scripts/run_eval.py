"""Extract image features."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from transformers import AutoModel


class TileDataset(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        return image, self.labels[i]


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = AutoModel.from_pretrained("google/vit-base-patch16-224")

    def forward(self, x):
        return self.backbone(x).last_hidden_state


device = "cuda"

dataset = TileDataset(torch.rand(4, 3, 32, 32), torch.randint(0, 10, (4,)), use_bf16=False)
loader = DataLoader(dataset, batch_size=2)

model = Encoder()
model = model.to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)

model.train()
for pixels, y in loader:
    pixels, y = pixels.to(device), y.cuda(non_blocking=True)
    pixels = pixels.to(device, dtype=torch.bfloat16, non_blocking=True)
    with torch.amp.autocast("cuda", dtype=torch.bfloat16):
        emb = model(pixels)
    loss = emb.float().pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
