import open_clip
import torch
import yaml

from helpers import encode_images, to_precision


def load_config(path="configs/clip.yaml"):
    with open(path) as handle:
        return yaml.safe_load(handle)


cfg = load_config()
model, _, preprocess = open_clip.create_model_and_transforms(cfg["model"]["name"], pretrained=cfg["model"]["pretrained"])
model = model.cuda().eval()
size = cfg["data"]["image_size"]
images = torch.rand(cfg["data"]["batch_size"], 3, size, size).cuda()
images = to_precision(images, cfg["precision"])
with torch.no_grad():
    embeddings = encode_images(model, images)
print(embeddings.shape)
