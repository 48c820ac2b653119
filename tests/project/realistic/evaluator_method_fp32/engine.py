import torch


class Evaluator:
    def __init__(self, model, device="cuda", dtype=torch.float32):
        self.model = model
        self.device = device
        self.dtype = dtype

    @torch.no_grad()
    def run(self, batches):
        outputs = []
        for images in batches:
            images = images.to(self.device, dtype=self.dtype)
            outputs.append(self.model(images))
        return outputs
