"""Fine-tune a timm ViT with HF accelerate. The dataset returns bf16 images when the
accelerator runs in bf16 (to match what the author thought the model expects)."""
import torch
import torch.nn.functional as F
import timm
from accelerate import Accelerator
from torch.utils.data import DataLoader, Dataset


class RandomImages(Dataset):
    def __init__(self, n, dtype=torch.float32):
        self.n = n
        self.dtype = dtype

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        img = torch.rand(3, 32, 32, generator=g).to(self.dtype)
        return {"pixel_values": img, "labels": i % 3}


def main():
    accelerator = Accelerator(mixed_precision="bf16")
    img_dtype = torch.bfloat16 if accelerator.mixed_precision == "bf16" else torch.float32

    model = timm.create_model("deit_small_patch16_224", pretrained=True, num_classes=3)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    train_dl = DataLoader(RandomImages(8, dtype=img_dtype), batch_size=4, shuffle=True)
    model, optimizer, train_dl = accelerator.prepare(model, optimizer, train_dl)

    model.train()
    for step, batch in enumerate(train_dl):
        logits = model(batch["pixel_values"])
        loss = F.cross_entropy(logits.float(), batch["labels"])
        accelerator.backward(loss)
        optimizer.step()
        optimizer.zero_grad()
        accelerator.print(f"step {step}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
