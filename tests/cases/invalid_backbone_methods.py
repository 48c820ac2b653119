import torch
import timm

dino = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14").cuda().eval()
vit = timm.create_model("vit_base_patch16_224", pretrained=True).cuda().eval()
x = torch.randn(1, 3, 224, 224, device="cuda").to(torch.bfloat16)
with torch.no_grad():
    layers = dino.get_intermediate_layers(x, n=4)  # expect: BFD001
    tokens = dino.forward_features(x)  # expect: BFD001
    f = vit.forward_features(x)  # expect: BFD001
    vit.reset_classifier(10)
