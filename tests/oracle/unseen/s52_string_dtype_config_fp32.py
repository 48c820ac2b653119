"""Config dict names the dtype as a string; this run is fp32 (negative)."""
import torch
import open_clip

CONFIG = {
    "model": "ViT-L-14",
    "pretrained": "openai",
    "dtype": "float32",
    "batch_size": 2,
}


def main(cfg):
    dtype = getattr(torch, cfg["dtype"])
    model, _, preprocess = open_clip.create_model_and_transforms(cfg["model"], pretrained=cfg["pretrained"])
    model = model.cuda().eval()
    images = torch.rand(cfg["batch_size"], 3, 32, 32).to("cuda", dtype=dtype)
    with torch.no_grad():
        feats = model.encode_image(images)
    print(feats.shape)


main(CONFIG)
