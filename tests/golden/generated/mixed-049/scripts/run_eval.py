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
        return {"image": image, "label": self.labels[i]}


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = AutoModel.from_pretrained("facebook/dinov2-base")

    def forward(self, x):
        return self.backbone(x).pooler_output


def main():
    dev = torch.device("cuda")

    dataset = TileDataset(torch.rand(4, 3, 28, 28), torch.randint(0, 10, (4,)), use_bf16=False)
    batches = DataLoader(dataset, batch_size=2)

    encoder = Encoder()
    encoder.to(dev)
    optimizer = torch.optim.SGD(encoder.parameters(), lr=1e-4)

    encoder.train()
    for batch in batches:
        batch = {key: value.cuda(non_blocking=True) for key, value in batch.items()}
        logits = encoder(batch["image"].float())
        loss = logits.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    main()
