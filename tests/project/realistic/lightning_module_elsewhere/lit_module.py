import lightning as L
import timm
import torch
import torch.nn.functional as F


class LitClassifier(L.LightningModule):
    def __init__(self, lr=1e-4):
        super().__init__()
        self.backbone = timm.create_model("convnext_tiny", pretrained=True, num_classes=10)
        self.lr = lr

    def training_step(self, batch, batch_idx):
        x, y = batch
        x = x.to(torch.bfloat16)  # the data module used to hand out bf16
        loss = F.cross_entropy(self.backbone(x).float(), y)
        self.log("train/loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.lr)
