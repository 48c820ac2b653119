import torch
from torch.utils.data import DataLoader
from torchvision.models import ConvNeXt_Tiny_Weights, convnext_tiny

from data import ImageList
from transforms_factory import build_transforms

model = convnext_tiny(weights=ConvNeXt_Tiny_Weights.DEFAULT).cuda().eval()
loader = DataLoader(ImageList(["a.jpg", "b.jpg"], build_transforms(torch.bfloat16)), batch_size=2)
with torch.no_grad():
    for x in loader:
        print(model(x.cuda().float()).argmax(-1))
