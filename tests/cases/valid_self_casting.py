# Hugging Face DINOv2/ViT/CLIP/SigLIP and OpenAI clip cast pixel_values themselves.
import clip
import torch
from transformers import AutoModel, CLIPVisionModel, Dinov2Model, SiglipVisionModel

pixels = torch.rand(4, 3, 224, 224).cuda().to(torch.bfloat16)

Dinov2Model.from_pretrained("facebook/dinov2-base").cuda()(pixel_values=pixels)
AutoModel.from_pretrained("facebook/dinov2-small").cuda()(pixels)
CLIPVisionModel.from_pretrained("openai/clip-vit-base-patch32")(pixel_values=pixels)
SiglipVisionModel.from_pretrained("google/siglip-base-patch16-224")(pixel_values=pixels)
model, preprocess = clip.load("ViT-B/32")
model.encode_image(pixels)


class Wrapper(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Dinov2Model.from_pretrained("facebook/dinov2-base")

    def forward(self, x):
        return self.encoder(pixel_values=x).pooler_output


Wrapper()(pixels)
