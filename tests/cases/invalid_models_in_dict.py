import timm
import torch

backbones = {
    "dino": torch.hub.load("facebookresearch/dinov2", "dinov2_vits14"),
    "convnext": timm.create_model("convnext_tiny", pretrained=True, num_classes=0),
}
for name, m in backbones.items():
    m.cuda().eval()

x = images.cuda().bfloat16()
with torch.no_grad():
    f = backbones["dino"](x)  # expect: BFD001
