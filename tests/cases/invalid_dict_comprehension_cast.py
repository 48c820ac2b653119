import torch
from transformers import ConvNextForImageClassification

model = ConvNextForImageClassification.from_pretrained("facebook/convnext-base-224").cuda()
model.eval()
for batch in val_loader:
    batch = {
        k: v.to("cuda", dtype=torch.bfloat16) if v.is_floating_point() else v.to("cuda")
        for k, v in batch.items()
    }
    with torch.no_grad():
        logits = model(batch["pixel_values"]).logits  # expect: BFD001
