"""Patch features from HF DINOv2 (negative: the HF model casts pixel_values itself)."""
import torch
from PIL import Image
from transformers import AutoImageProcessor, AutoModel

MODEL_ID = "facebook/dinov2-small"
device = "cuda" if torch.cuda.is_available() else "cpu"
dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16

processor = AutoImageProcessor.from_pretrained(MODEL_ID)
model = AutoModel.from_pretrained(MODEL_ID)
model.to(device)
model.eval()


def embed(paths):
    images = [Image.open(p).convert("RGB") for p in paths]
    inputs = processor(images=images, return_tensors="pt")
    pixel_values = inputs.pixel_values.to(device=device, dtype=dtype)
    with torch.inference_mode():
        out = model(pixel_values=pixel_values)
    cls = out.last_hidden_state[:, 0]
    patches = out.last_hidden_state[:, 1:]
    return cls.float(), patches.float()


if __name__ == "__main__":
    cls, patches = embed([f"crop_{i}.png" for i in range(2)])
    print(cls.shape, patches.shape)
    sim = torch.nn.functional.cosine_similarity(cls[0:1], cls[1:2])
    print("similarity", sim.item())
