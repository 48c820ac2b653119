import torch

encoder = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda().eval()


def encode(batch):
    imgs = batch["image"].cuda().to(torch.bfloat16)
    imgs = imgs.float() if imgs.dtype.is_floating_point else imgs
    return encoder(imgs)


print(encode({"image": torch.rand(2, 3, 28, 28)}).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: E3
# label: quiet
# adapted: a call of encode() with a synthetic batch added at the bottom
