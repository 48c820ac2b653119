import torch
import torch.nn.functional as F


def encode_images(model, images):
    features = model.encode_image(images)
    return F.normalize(features.float(), dim=-1)


def to_precision(images, precision):
    return images.to(torch.bfloat16) if precision == "bf16" else images.float()
