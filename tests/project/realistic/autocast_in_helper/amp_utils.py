import torch


def forward_amp(model, images, enabled=True):
    with torch.autocast("cuda", dtype=torch.bfloat16, enabled=enabled):
        return model(images)
