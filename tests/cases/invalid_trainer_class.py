# Class attributes: a trainer holds the backbone and the bf16 loader; validate() has no autocast.
import timm
import torch
from torch.utils.data import DataLoader


class Trainer:
    def __init__(self, train_set, val_set, use_bf16=True):
        self.device = torch.device("cuda")
        self.model = timm.create_model("vit_small_patch14_dinov2", pretrained=True).to(self.device)
        self.dtype = torch.bfloat16 if use_bf16 else torch.float32
        self.train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
        self.val_loader = DataLoader(val_set, batch_size=32)

    def train_epoch(self):
        for images, labels in self.train_loader:
            images = images.to(self.device, dtype=self.dtype)
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = self.model(images).mean()  # expect: BFD002
            loss.backward()

    def validate(self):
        for images, labels in self.val_loader:
            images = images.to(self.device, dtype=self.dtype)
            preds = self.model(images)  # expect: BFD001
