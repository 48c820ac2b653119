# A generator in the file yields bf16 batches; the inference loop has no autocast.
import torch
import torchvision


def batches(paths, use_bf16):
    for chunk in paths:
        images = load_images(chunk)
        if use_bf16:
            images = images.bfloat16()
        yield images


model = torchvision.models.convnext_tiny(weights="DEFAULT").eval().cuda()
for images in batches(all_paths, use_bf16=True):
    images = images.cuda()
    scores = model(images).softmax(-1)  # expect: BFD001
