"""Feature generator; the bf16 cast sits in a try block (it is always taken here)."""
import torch
from torchvision.models import efficientnet_v2_s, EfficientNet_V2_S_Weights


def batches(n):
    for _ in range(n):
        yield torch.rand(2, 3, 32, 32)


def extract(model, source):
    model.eval()
    with torch.no_grad():
        for x in source:
            x = x.cuda()
            try:
                x = x.to(torch.bfloat16)
            except RuntimeError:
                pass
            yield model(x)


net = efficientnet_v2_s(weights=EfficientNet_V2_S_Weights.DEFAULT).cuda()
for feats in extract(net, batches(2)):
    print(feats.shape)
