# Explicit bf16 casts in the loop feed pretrained backbones with no autocast.
import timm
import torch
import torchvision
import open_clip

device = "cuda"
vit = timm.create_model("vit_base_patch16_224", pretrained=True).to(device)
resnet = torchvision.models.resnet50(weights=torchvision.models.ResNet50_Weights.DEFAULT).to(device)
clip_model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-32", pretrained="laion2b_s34b_b79k")


def run_vit(loader):
    for images, labels in loader:
        images = images.to(device, dtype=torch.bfloat16)
        logits = vit(images)  # expect: BFD001


def run_resnet(loader):
    for images, _ in loader:
        x = images.cuda().bfloat16()
        feats = resnet(x)  # expect: BFD001


def run_clip(loader):
    for images, _ in loader:
        images = images.type(torch.bfloat16).to(device)
        emb = clip_model.encode_image(images)  # expect: BFD001
