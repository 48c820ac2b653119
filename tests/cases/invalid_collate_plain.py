import torch
import timm
from torch.utils.data import DataLoader


def collate_bf16(samples):
    images = torch.stack([s[0] for s in samples]).bfloat16()
    labels = torch.tensor([s[1] for s in samples])
    return {"image": images, "label": labels}


model = timm.create_model("resnet50", pretrained=True).cuda()
loader = DataLoader(dataset, batch_size=32, collate_fn=collate_bf16)
for batch in loader:
    batch = {k: v.cuda(non_blocking=True) for k, v in batch.items()}
    logits = model(batch["image"])  # expect: BFD001
