# RULES.md: a model cast in one branch only is cast on that path only. The input is bf16
# on every path, so the path that skips the model cast crashes (`Input type
# (c10::BFloat16) and bias type (float) should be the same`). `.float()` would crash the
# other path (bf16 weights, fp32 input), so the fix casts the input to the weights' dtype.
import os

import open_clip
import timm
import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
model = timm.create_model("resnet50", pretrained=True).to(device).eval()
images = torch.rand(2, 3, 224, 224).to(device).to(torch.bfloat16)
if os.environ.get("BF16_WEIGHTS") == "1":
    model = model.to(torch.bfloat16)
logits = model(images)  # expect: BFD001


def embed(clip_model, batch, half_weights):
    if half_weights:
        clip_model.bfloat16()
    return clip_model.encode_image(batch)  # expect: BFD001


clip_model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-32", pretrained="openai")
features = embed(clip_model.to(device), images, os.environ.get("HALF") == "1")
