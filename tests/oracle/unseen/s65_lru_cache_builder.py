"""Inference service: the model is built once through a cached factory."""
import functools

import torch
import open_clip


@functools.lru_cache(maxsize=None)
def get_model(name="ViT-B-32"):
    model, _, preprocess = open_clip.create_model_and_transforms(name, pretrained="openai")
    return model.cuda().eval(), preprocess


def embed(batch):
    model, _ = get_model()
    with torch.no_grad():
        return model.encode_image(batch)


if __name__ == "__main__":
    batch = torch.rand(2, 3, 32, 32).cuda().to(torch.bfloat16)
    print(embed(batch).shape)
