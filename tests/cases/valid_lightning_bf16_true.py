import lightning as L
import timm
import torch


class Module(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = timm.create_model("resnet50", pretrained=True, num_classes=10)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.cross_entropy(self.net(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)


trainer = L.Trainer(precision="bf16-true", accelerator="gpu")
trainer.fit(Module(), DataLoader(BF16Dataset(root, dtype=torch.bfloat16), batch_size=32))
