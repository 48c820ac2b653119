import timm
import torch


def build_backbone(name: str):
    model = timm.create_model(name, pretrained=True, num_classes=0)
    return model.eval()


def build_bf16_backbone(name: str):
    return timm.create_model(name, pretrained=True, num_classes=0).to(torch.bfloat16)


fp32_net = build_backbone("vit_small_patch16_224").cuda()
bf16_net = build_bf16_backbone("vit_small_patch16_224").cuda()
x = batch.cuda().to(torch.bfloat16)
with torch.no_grad():
    a = fp32_net(x)  # expect: BFD001
    b = bf16_net(x)
