"""Frames are decoded to bf16 on the GPU and upcast by a helper before the encoder (negative)."""
import torch
import torch.nn.functional as F
import timm


def decode(n, device):
    return torch.randint(0, 255, (n, 3, 40, 40), device=device).to(torch.bfloat16) / 255.0


def to_model_input(frames, size=32):
    frames = frames.float()
    return F.interpolate(frames, size=(size, size), mode="bilinear", align_corners=False)


encoder = timm.create_model("vit_small_patch16_224", pretrained=True, num_classes=0).cuda().eval()
with torch.no_grad():
    frames = decode(3, "cuda")
    emb = encoder(to_model_input(frames))
print(emb.shape)
