"""torchvision.models.segmentation stand-in: models return {"out": (B, classes, H, W)}."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict

import torch
import torch.nn.functional as F
from torch import nn

from torchvision.models._api import register, weights_enum
from torchvision.models._nets import ResNet


class _SegmentationModel(nn.Module):
    def __init__(self, num_classes: int = 21, **kwargs: Any):
        super().__init__()
        self.backbone = ResNet(num_classes=0)  # bias-free conv stem, as the real ResNet backbone
        self.classifier = nn.Sequential(nn.Conv2d(self.backbone.num_features, 32, 3, padding=1, bias=False),
                                        nn.BatchNorm2d(32), nn.ReLU(), nn.Conv2d(32, num_classes, 1))
        self.aux_classifier = None

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        size = x.shape[-2:]
        out = self.classifier(self.backbone.forward_features(x))
        return OrderedDict(out=F.interpolate(out, size=size, mode="bilinear", align_corners=False))


DeepLabV3 = FCN = LRASPP = _SegmentationModel

for _name, _weights_name in (("deeplabv3_resnet50", "DeepLabV3_ResNet50_Weights"),
                             ("deeplabv3_resnet101", "DeepLabV3_ResNet101_Weights"),
                             ("deeplabv3_mobilenet_v3_large", "DeepLabV3_MobileNet_V3_Large_Weights"),
                             ("fcn_resnet50", "FCN_ResNet50_Weights"), ("fcn_resnet101", "FCN_ResNet101_Weights"),
                             ("lraspp_mobilenet_v3_large", "LRASPP_MobileNet_V3_Large_Weights")):
    _weights = weights_enum(_weights_name, segmentation=True)
    globals()[_weights_name] = _weights
    globals()[_name] = register(_name, _weights, _SegmentationModel, num_classes=21)
