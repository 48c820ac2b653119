"""Generic runner passing inputs as a tuple (*inputs) to a torchvision model."""
import torch
from torchvision.models import squeezenet1_1, SqueezeNet1_1_Weights


def run(model, inputs):
    with torch.no_grad():
        return model(*inputs)


model = squeezenet1_1(weights=SqueezeNet1_1_Weights.DEFAULT).cuda().eval()
example = torch.rand(1, 3, 48, 48, device="cuda", dtype=torch.bfloat16)
inputs = (example,)
print(run(model, inputs).shape)
