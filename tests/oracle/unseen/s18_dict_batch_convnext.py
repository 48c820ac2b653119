"""Train a HF ConvNeXt classifier on a dict-style dataset whose images are stored bf16."""
import torch
from torch.utils.data import DataLoader, Dataset
from transformers import ConvNextModel

NUM_CLASSES = 3


class Shards(Dataset):
    def __init__(self, n=8):
        self.x = torch.rand(n, 3, 32, 32).to(torch.bfloat16)
        self.y = torch.randint(0, NUM_CLASSES, (n,))

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i], "index": i}


def collate(items):
    return {
        "pixel_values": torch.stack([it["pixel_values"] for it in items]),
        "labels": torch.stack([it["labels"] for it in items]),
    }


def main():
    device = "cuda"
    backbone = ConvNextModel.from_pretrained("facebook/convnext-tiny-224").to(device)
    head = torch.nn.Linear(backbone.config.hidden_sizes[-1],
                           NUM_CLASSES).to(device)
    loader = DataLoader(Shards(), batch_size=4, collate_fn=collate)
    opt = torch.optim.AdamW(list(backbone.parameters()) + list(head.parameters()), lr=1e-4)
    for batch in loader:
        batch = {k: v.to(device) for k, v in batch.items()}
        outputs = backbone(pixel_values=batch["pixel_values"])
        logits = head(outputs.pooler_output.flatten(1).float())
        loss = torch.nn.functional.cross_entropy(logits, batch["labels"])
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(loss.item())


if __name__ == "__main__":
    main()
