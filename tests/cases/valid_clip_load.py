import clip
import torch

model, preprocess = clip.load("ViT-B/32", device="cuda", jit=False)
model = model.float()
image = preprocess(pil_image).unsqueeze(0).to("cuda").bfloat16()
with torch.no_grad():
    f = model.encode_image(image)
