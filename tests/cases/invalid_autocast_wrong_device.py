import torch
import timm

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = timm.create_model("vit_small_patch16_224", pretrained=True).to(device)


def predict(images):
    images = images.to(device, torch.bfloat16)
    with torch.autocast("cuda", dtype=torch.bfloat16):  # expect: BFD003
        return model(images)  # expect: BFD002
