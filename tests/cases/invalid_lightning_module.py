import lightning as L
import torch
import torch.nn.functional as F


class LinearProbe(L.LightningModule):
    def __init__(self, num_classes: int = 10, use_bf16: bool = True):
        super().__init__()
        self.save_hyperparameters()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
        self.backbone.requires_grad_(False)
        self.head = torch.nn.Linear(384, num_classes)

    def training_step(self, batch, batch_idx):
        images, labels = batch
        if self.hparams.use_bf16:
            images = images.to(torch.bfloat16)
        feats = self.backbone(images)  # expect: BFD001
        loss = F.cross_entropy(self.head(feats.float()), labels)
        return loss

    def configure_optimizers(self):
        return torch.optim.AdamW(self.head.parameters(), lr=1e-3)


trainer = L.Trainer(max_epochs=1, precision="32-true")
trainer.fit(LinearProbe(), train_loader)
