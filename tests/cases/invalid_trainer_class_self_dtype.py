import torch
import timm


class Trainer:
    def __init__(self, cfg):
        self.cfg = cfg
        self.device = torch.device("cuda")
        self.dtype = torch.bfloat16 if cfg.bf16 else torch.float32
        self.model = timm.create_model(cfg.arch, pretrained=True).to(self.device)

    @torch.no_grad()
    def evaluate(self, loader):
        self.model.eval()
        for images, labels in loader:
            images = images.to(self.device, self.dtype)
            logits = self.model(images)  # expect: BFD001
        return logits
