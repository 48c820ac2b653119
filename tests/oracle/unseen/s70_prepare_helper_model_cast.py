"""A helper returns the model moved and cast like the inputs (negative)."""
import torch
from torchvision.models import vgg11_bn, VGG11_BN_Weights


def prepare(model, device, dtype):
    model = model.to(device=device, dtype=dtype)
    model.eval()
    return model


dtype = torch.bfloat16
net = prepare(vgg11_bn(weights=VGG11_BN_Weights.DEFAULT), "cuda", dtype)
x = torch.rand(2, 3, 32, 32).to("cuda", dtype)
with torch.no_grad():
    print(net(x).shape)
