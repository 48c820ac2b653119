import open_clip
import torch
from PIL import Image

device = "cuda"
model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-32", pretrained="laion2b_s34b_b79k")
model = model.to(device).eval()
tokenizer = open_clip.get_tokenizer("ViT-B-32")

image = preprocess(Image.open("dog.png")).unsqueeze(0).to(device, dtype=torch.bfloat16)
text = tokenizer(["a dog", "a cat"]).to(device)
with torch.no_grad():
    image_features = model.encode_image(image)  # expect: BFD001
    text_features = model.encode_text(text)
