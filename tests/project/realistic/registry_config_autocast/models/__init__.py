from .backbone import build_backbone
from .classifier import Classifier

MODELS = {
    "convnext_tiny": build_backbone,
    "vit_small": build_backbone,
}


def build_model(name, num_classes, dtype=None):
    model = Classifier(MODELS[name](name), num_classes)
    if dtype is not None:
        model = model.to(dtype)
    return model
