import timm
import torch
import torch.nn as nn


def run_inference(loader, net):
    with torch.no_grad():
        parts = []
        for t in loader:
            parts.append(t.cuda())
        x = torch.cat(parts)
        logits = net(x)
        print(logits.shape)


device = "cuda"

loader = [torch.rand(2, 3, 32, 32).to(torch.bfloat16) for _ in range(3)]

trunk = timm.create_model("resnet50", pretrained=True, num_classes=10)
net = nn.Sequential(trunk, nn.Flatten(1))
net = net.to(device).eval()

net.eval()
run_inference(loader, net)
