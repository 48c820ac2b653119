# The input is cast to float32 (or to the model's dtype) somewhere on the way, in any spelling.
import timm
import torch
import torch.nn as nn

model = timm.create_model("resnet50", pretrained=True).cuda()
raw = torch.rand(8, 3, 224, 224, dtype=torch.bfloat16)

model(raw.cuda().float())
model(raw.to(torch.float32))
model(raw.to(dtype=torch.float))
model(raw.type(torch.float32))
model(raw.to(next(model.parameters()).dtype))
model(raw.type_as(model.conv1.weight))

x = raw.cuda()
x = x.float()
model(x)

for batch in loader:
    batch = {k: v.cuda().float() for k, v in batch.items()}
    model(batch["image"])


class CastingWrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")

    def forward(self, x):
        x = x.to(self.backbone.patch_embed.proj.weight.dtype)
        return self.backbone(x)


CastingWrapper()(raw)
