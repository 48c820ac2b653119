# A dataset built elsewhere, constructed with a bf16 flag; tuple batches; timm backbone.
import timm
import torch
from torch.utils.data import DataLoader

from mydata import ImageCacheDataset

cfg = load_config("train.yaml")
model = timm.create_model("convnext_tiny", pretrained=True, num_classes=10).cuda()
val_ds = ImageCacheDataset(cfg.data.root, split="val", use_bf16=cfg.training.use_bf16)
val_loader = DataLoader(val_ds, batch_size=64, num_workers=4)

model.eval()
correct = 0
with torch.inference_mode():
    for images, labels in val_loader:
        images = images.cuda(non_blocking=True)
        labels = labels.cuda(non_blocking=True)
        preds = model(images).argmax(-1)  # expect: BFD001
        correct += (preds == labels).sum().item()
