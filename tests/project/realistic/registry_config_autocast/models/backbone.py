import timm

TIMM_NAMES = {
    "convnext_tiny": "convnext_tiny.fb_in22k",
    "vit_small": "vit_small_patch16_224.augreg_in21k",
}


def build_backbone(name, pretrained=True):
    return timm.create_model(TIMM_NAMES[name], pretrained=pretrained, num_classes=0)
