import lightning as L
import timm
import torch
from mydata import CachedImages


class Module(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = timm.create_model("resnet50", pretrained=True, num_classes=10)

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.cross_entropy(self(x), y)  # expect: BFD002 (bf16-mixed runs training_step under autocast)


ds = CachedImages("/data/train", dtype=torch.bfloat16)
loader = torch.utils.data.DataLoader(ds, batch_size=32)
model = Module()
L.Trainer(precision="bf16-mixed").fit(model, loader)

model.eval().cuda()
with torch.no_grad():
    for x, y in loader:
        preds = model(x.cuda()).argmax(-1)  # expect: BFD001
