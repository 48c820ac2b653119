"""DDP-ready model setup (SyncBatchNorm conversion) evaluated on bf16 crops."""
import torch
import torch.nn as nn
import timm


def build(arch="regnety_016"):
    model = timm.create_model(arch, pretrained=True, num_classes=10)
    model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
    return model.cuda()


model = build().eval()
crops = torch.rand(2, 3, 32, 32, device="cuda", dtype=torch.bfloat16)
with torch.no_grad():
    print(model(crops).shape)
