import torch
from torchvision.models import ResNet50_Weights, resnet50

from engine import Evaluator

CFG = {"precision": "bf16", "batch_size": 2}


def main(cfg):
    dtype = torch.bfloat16 if cfg["precision"] == "bf16" else torch.float32
    model = resnet50(weights=ResNet50_Weights.DEFAULT).cuda().eval()
    batches = [torch.rand(cfg["batch_size"], 3, 224, 224) for _ in range(2)]
    evaluator = Evaluator(model, dtype=dtype)
    return evaluator.run(batches)


if __name__ == "__main__":
    main(CFG)
