"""accelerate bf16 training, then evaluation through the unwrapped model."""
import torch
import torch.nn as nn
from accelerate import Accelerator
from torchvision.models import resnet18


def batches(n, dtype):
    for _ in range(n):
        yield torch.rand(2, 3, 32, 32).to(dtype), torch.randint(0, 10, (2,))


def main():
    accelerator = Accelerator(mixed_precision="bf16")
    dtype = torch.bfloat16 if accelerator.mixed_precision == "bf16" else torch.float32
    model = resnet18(pretrained=True)
    model.fc = nn.Linear(model.fc.in_features, 10)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    model, opt = accelerator.prepare(model, opt)

    model.eval()
    eval_model = accelerator.unwrap_model(model)
    correct = 0
    with torch.no_grad():
        for x, y in batches(2, dtype):
            x, y = x.to(accelerator.device), y.to(accelerator.device)
            correct += (eval_model(x).argmax(-1) == y).sum().item()
    accelerator.print("acc", correct / 4)


if __name__ == "__main__":
    main()
