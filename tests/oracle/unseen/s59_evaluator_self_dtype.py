"""Evaluator object: the batch dtype is an attribute set from the config."""
import torch
from torchvision.models import convnext_small, ConvNeXt_Small_Weights

CONFIG = {"eval": {"dtype": "bf16", "batch_size": 2}}


class Evaluator:
    def __init__(self, model, cfg):
        self.model = model.eval()
        self.dtype = {"bf16": torch.bfloat16, "fp32": torch.float32}[cfg["dtype"]]
        self.bs = cfg["batch_size"]

    @torch.no_grad()
    def __call__(self, images):
        preds = []
        for chunk in images.split(self.bs):
            chunk = chunk.to(torch.device("cuda"), self.dtype)
            preds.append(self.model(chunk).argmax(-1))
        return torch.cat(preds)


evaluator = Evaluator(convnext_small(weights=ConvNeXt_Small_Weights.DEFAULT).cuda(), CONFIG["eval"])
print(evaluator(torch.rand(4, 3, 32, 32)))
