import open_clip
import torch

model, _, preprocess = open_clip.create_model_and_transforms(
    "ViT-L-14", pretrained="datacomp_xl_s13b_b90k", precision="bf16", device="cuda"
)
images = torch.stack([preprocess(im) for im in pil_images]).to("cuda", torch.bfloat16)
with torch.no_grad():
    feats = model.encode_image(images)
