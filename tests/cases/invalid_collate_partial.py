from functools import partial

import torch
import timm
from torch.utils.data import DataLoader


def collate(samples, dtype=torch.float32):
    images = torch.stack([s["image"] for s in samples]).to(dtype)
    labels = torch.tensor([s["label"] for s in samples])
    return images, labels


model = timm.create_model("resnet50", pretrained=True).cuda()
loader = DataLoader(dataset, batch_size=32, collate_fn=partial(collate, dtype=torch.bfloat16))
for images, labels in loader:
    logits = model(images.cuda())  # expect: BFD001
