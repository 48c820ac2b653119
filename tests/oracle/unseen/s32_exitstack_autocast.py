"""Inference loop composing its contexts with an ExitStack."""
from contextlib import ExitStack

import torch
from torchvision.models import densenet121, DenseNet121_Weights

AMP = True
model = densenet121(weights=DenseNet121_Weights.DEFAULT).cuda().eval()


def predict(batch):
    with ExitStack() as stack:
        stack.enter_context(torch.no_grad())
        if AMP:
            stack.enter_context(torch.autocast("cuda", dtype=torch.bfloat16))
        return model(batch)


for i in range(2):
    batch = torch.rand(2, 3, 32, 32).cuda().to(torch.bfloat16)
    out = predict(batch)
    print(i, out.argmax(-1).tolist())
