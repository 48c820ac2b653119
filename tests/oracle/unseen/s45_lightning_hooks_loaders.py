"""LightningModule that owns its dataloaders; frames are cached in bf16 and the Trainer runs
in full fp32 precision."""
import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models


class FrameClassifier(pl.LightningModule):
    def __init__(self, num_classes=4, cache_dtype=torch.bfloat16):
        super().__init__()
        self.encoder = models.resnet18(weights=models.ResNet18_Weights.IMAGENET1K_V1)
        self.encoder.fc = torch.nn.Linear(self.encoder.fc.in_features, num_classes)
        self.cache_dtype = cache_dtype

    def _loader(self, n):
        frames = torch.rand(n, 3, 32, 32).to(self.cache_dtype)
        return DataLoader(TensorDataset(frames, torch.randint(0, 4, (n,))), batch_size=4)

    def train_dataloader(self):
        return self._loader(8)

    def val_dataloader(self):
        return self._loader(4)

    def training_step(self, batch, batch_idx):
        frames, labels = batch
        return F.cross_entropy(self.encoder(frames).float(), labels)

    def validation_step(self, batch, batch_idx):
        frames, labels = batch
        acc = (self.encoder(frames).argmax(-1) == labels).float().mean()
        self.log("val/acc", acc)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-4)


if __name__ == "__main__":
    trainer = pl.Trainer(max_epochs=1, precision=32, logger=False, enable_checkpointing=False,
                         num_sanity_val_steps=0)
    trainer.fit(FrameClassifier())
