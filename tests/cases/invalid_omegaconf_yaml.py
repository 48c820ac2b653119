import timm
import torch
from omegaconf import OmegaConf

cfg = OmegaConf.load("configs/train.yaml")
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
dtype = torch.bfloat16 if cfg.train.bf16 else torch.float32

model = timm.create_model(cfg.model.name, pretrained=True, num_classes=cfg.model.num_classes)
model = model.to(device)


def evaluate(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for batch in loader:
            images = batch["image"].to(device=device, dtype=dtype)
            labels = batch["label"].to(device)
            logits = model(images)  # expect: BFD001
            correct += (logits.argmax(1) == labels).sum().item()
    return correct


evaluate(model, val_loader)
