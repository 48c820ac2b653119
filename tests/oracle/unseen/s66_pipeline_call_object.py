"""Callable pipeline object: preprocessing in bf16, then the classifier."""
import torch
from torchvision.models import resnet50, ResNet50_Weights


class Pipeline:
    def __init__(self, device="cuda", dtype=torch.bfloat16):
        self.weights = ResNet50_Weights.DEFAULT
        self.model = resnet50(weights=self.weights).to(device).eval()
        self.preprocess = self.weights.transforms()
        self.device, self.dtype = device, dtype

    def __call__(self, images):
        batch = torch.stack([self.preprocess(img) for img in images])
        batch = batch.to(self.device, dtype=self.dtype)
        with torch.no_grad():
            logits = self.model(batch)
        return [self.weights.meta["categories"][i] for i in logits.argmax(-1).tolist()]


pipe = Pipeline()
print(pipe([torch.randint(0, 256, (3, 40, 40), dtype=torch.uint8) for _ in range(2)]))
