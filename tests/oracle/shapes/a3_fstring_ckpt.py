import torch
from transformers import AutoModelForImageClassification

DEPTH = 50
USE_BF16 = True

model = AutoModelForImageClassification.from_pretrained(f"microsoft/resnet-{DEPTH}")
model.to("cuda").eval()


def predict(batch):
    x = batch["pixel_values"].cuda()
    if USE_BF16:
        x = x.bfloat16()
    return model(x).logits.softmax(-1)


print(predict({"pixel_values": torch.rand(2, 3, 32, 32)}).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: A3
# label: BFD001 at line 15
# adapted: a call of predict() with a synthetic batch added at the bottom
