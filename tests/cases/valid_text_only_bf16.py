import open_clip
import torch

model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-16", pretrained="openai")
model = model.cuda().eval()
text_emb = torch.load("text_emb.pt").cuda().to(torch.bfloat16)
for images, _ in loader:
    img_emb = model.encode_image(images.cuda())
    sims = img_emb.float() @ text_emb.float().T
