"""Semantic segmentation eval with DeepLabV3; the bf16 cast and autocast share one flag."""
import argparse

import torch
import torch.nn.functional as F
from torchvision.models.segmentation import deeplabv3_resnet50, DeepLabV3_ResNet50_Weights

parser = argparse.ArgumentParser()
parser.add_argument("--no-amp", dest="amp", action="store_false")
parser.add_argument("--size", type=int, default=48)
args = parser.parse_args()


def miou(pred, target, num_classes=21):
    ious = []
    for c in range(num_classes):
        inter = ((pred == c) & (target == c)).sum().item()
        union = ((pred == c) | (target == c)).sum().item()
        if union:
            ious.append(inter / union)
    return sum(ious) / max(len(ious), 1)


weights = DeepLabV3_ResNet50_Weights.DEFAULT
model = deeplabv3_resnet50(weights=weights).cuda().eval()

scores = []
for i in range(2):
    img = torch.rand(1, 3, args.size, args.size).cuda()
    mask = torch.randint(0, 21, (1, args.size, args.size)).cuda()
    if args.amp:
        img = img.bfloat16()
    with torch.no_grad(), torch.cuda.amp.autocast(enabled=args.amp, dtype=torch.bfloat16):
        out = model(img)["out"]
    out = F.interpolate(out.float(), size=mask.shape[-2:], mode="bilinear")
    scores.append(miou(out.argmax(1), mask))
print("mIoU", sum(scores) / len(scores))
