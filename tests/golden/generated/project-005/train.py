import torch
from data import TileDataset
from models.backbone import Encoder
from torch.utils.data import DataLoader


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
