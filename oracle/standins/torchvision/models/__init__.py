"""torchvision.models stand-in: constructors with ``weights=`` (Weights enums with .DEFAULT,
.transforms(), .meta["categories"]), get_model / get_model_weights / list_models."""
from __future__ import annotations

from functools import partial

from torchvision.models import _nets
from torchvision.models._api import (  # noqa: F401
    ImageClassification, Weights, WeightsEnum, get_model, get_model_weights, get_weight, list_models, register,
    weights_enum,
)
from torchvision.models._nets import (  # noqa: F401
    VGG, ConvNeXt, DenseNet, EfficientNet, MobileNetV3, RegNet, ResNet, ShuffleNetV2, SqueezeNet, SwinTransformer,
    VisionTransformer,
)

_FAMILIES = {
    "ResNet": (_nets.ResNet, ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d",
                              "resnext101_32x8d", "resnext101_64x4d", "wide_resnet50_2", "wide_resnet101_2"]),
    "EfficientNet": (_nets.EfficientNet, [f"efficientnet_b{i}" for i in range(8)]
                     + ["efficientnet_v2_s", "efficientnet_v2_m", "efficientnet_v2_l", "mobilenet_v2", "mnasnet1_0"]),
    "MobileNetV3": (_nets.MobileNetV3, ["mobilenet_v3_small", "mobilenet_v3_large"]),
    "DenseNet": (_nets.DenseNet, ["densenet121", "densenet161", "densenet169", "densenet201"]),
    "RegNet": (_nets.RegNet, [f"regnet_{k}_{s}" for k in "xy" for s in
                              ("400mf", "800mf", "1_6gf", "3_2gf", "8gf", "16gf", "32gf")] + ["regnet_y_128gf"]),
    "ConvNeXt": (_nets.ConvNeXt, ["convnext_tiny", "convnext_small", "convnext_base", "convnext_large"]),
    "VisionTransformer": (_nets.VisionTransformer, ["vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32", "vit_h_14"]),
    "SwinTransformer": (_nets.SwinTransformer, ["swin_t", "swin_s", "swin_b", "swin_v2_t", "swin_v2_s", "swin_v2_b"]),
    "VGG": (_nets.VGG, ["vgg11", "vgg13", "vgg16", "vgg19", "alexnet"]),
    "VGG_BN": (partial(_nets.VGG, batch_norm=True), ["vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn"]),
    "SqueezeNet": (_nets.SqueezeNet, ["squeezenet1_0", "squeezenet1_1"]),
    "ShuffleNetV2": (_nets.ShuffleNetV2, ["shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5",
                                          "shufflenet_v2_x2_0"]),
}


def _weights_name(model: str) -> str:
    """torchvision's enum name for a constructor: resnext50_32x4d -> ResNeXt50_32X4D_Weights."""
    special = {"mobilenet_v2": "MobileNet_V2", "mobilenet_v3_small": "MobileNet_V3_Small",
               "mobilenet_v3_large": "MobileNet_V3_Large", "mnasnet1_0": "MNASNet1_0", "alexnet": "AlexNet"}
    if model in special:
        return special[model] + "_Weights"
    for prefix, spelled in (("wide_resnet", "Wide_ResNet"), ("resnext", "ResNeXt"), ("resnet", "ResNet"),
                            ("densenet", "DenseNet"), ("efficientnet", "EfficientNet"), ("regnet", "RegNet"),
                            ("convnext", "ConvNeXt"), ("vit", "ViT"), ("swin", "Swin"), ("vgg", "VGG"),
                            ("squeezenet", "SqueezeNet"), ("shufflenet", "ShuffleNet")):
        if model.startswith(prefix):
            rest = model[len(prefix):]
            return spelled + (rest.title() if prefix == "convnext" else rest.upper()) + "_Weights"
    raise ValueError(model)


for _family, (_builder, _names) in _FAMILIES.items():
    for _name in _names:
        _weights = weights_enum(_weights_name(_name), versions=2 if _name in ("resnet50", "resnet101") else 1)
        globals()[_weights.__name__] = _weights
        _extra = {"patch_size": int(_name.split("_")[-1])} if _family == "VisionTransformer" else {}
        globals()[_name] = register(_name, _weights, partial(_builder, **_extra))

from torchvision.models import segmentation  # noqa: E402,F401
