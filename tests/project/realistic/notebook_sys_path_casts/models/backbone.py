import timm


def build_backbone(name="vit_small_patch16_224", pretrained=True):
    model = timm.create_model(name, pretrained=pretrained, num_classes=0)
    return model.eval()
