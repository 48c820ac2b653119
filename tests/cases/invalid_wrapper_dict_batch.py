# model(batch): the wrapper's forward takes the image out of the dict batch.
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vitl14")
        self.proj = nn.Linear(1024, 256)

    def forward(self, batch):
        x = batch["pixel_values"]
        feats = self.backbone.forward_features(x)["x_norm_clstoken"]
        return self.proj(feats)


encoder = Encoder().cuda()
for batch in loader:
    batch = {"pixel_values": batch["pixel_values"].cuda().bfloat16(), "label": batch["label"].cuda()}
    out = encoder(batch)  # expect: BFD001
