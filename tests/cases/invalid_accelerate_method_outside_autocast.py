# accelerate runs the prepared model's forward under autocast, and nothing else: a call
# of another method (open_clip's encode_image, timm's forward_features) is unprotected.
import open_clip
import timm
import torch
from accelerate import Accelerator

accelerator = Accelerator(mixed_precision="bf16")
clip, _, _ = open_clip.create_model_and_transforms("ViT-B-32", pretrained="openai")
trunk = timm.create_model("resnet50", pretrained=True)
clip, trunk, loader = accelerator.prepare(clip, trunk, loader)
for x, y in loader:
    x = x.to(torch.bfloat16)
    emb = clip.encode_image(x)  # expect: BFD001
    feats = trunk.forward_features(x)  # expect: BFD001
    out = trunk(x)  # expect: BFD002
