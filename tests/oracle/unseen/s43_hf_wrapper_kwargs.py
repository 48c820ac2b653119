"""Classifier around HF ResNetModel taking pixel_values by keyword, trained on bf16 tensors."""
import torch
import torch.nn as nn
from transformers import ResNetModel


class ResNetClassifier(nn.Module):
    def __init__(self, name="microsoft/resnet-50", num_labels=3):
        super().__init__()
        self.resnet = ResNetModel.from_pretrained(name)
        self.classifier = nn.Linear(self.resnet.config.hidden_sizes[-1], num_labels)

    def forward(self, pixel_values, labels=None):
        pooled = self.resnet(pixel_values=pixel_values).pooler_output.flatten(1)
        logits = self.classifier(pooled.float())
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return logits, loss


model = ResNetClassifier().cuda()
opt = torch.optim.AdamW(model.parameters(), lr=2e-5)
for step in range(2):
    pixel_values = torch.randn(2, 3, 32, 32, dtype=torch.bfloat16).cuda()
    labels = torch.randint(0, 3, (2,)).cuda()
    _, loss = model(pixel_values=pixel_values, labels=labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
