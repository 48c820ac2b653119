"""Lightning fine-tune with precision="bf16-true" (negative: Lightning casts the module
and converts the inputs itself)."""
import lightning as L
import timm
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class Classifier(L.LightningModule):
    def __init__(self, arch="resnet18", num_classes=4, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = timm.create_model(arch, pretrained=True, num_classes=num_classes)

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train/loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def loaders(n=8, bs=4):
    x = torch.rand(n, 3, 32, 32)
    y = torch.randint(0, 4, (n,))
    return DataLoader(TensorDataset(x, y), batch_size=bs)


if __name__ == "__main__":
    precision = "bf16-true"
    model = Classifier()
    trainer = L.Trainer(max_epochs=1, precision=precision, accelerator="gpu", devices=1,
                        logger=False, enable_checkpointing=False, limit_train_batches=2)
    trainer.fit(model, loaders())
