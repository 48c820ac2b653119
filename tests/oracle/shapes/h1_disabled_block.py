import torch
import timm

encoder = timm.create_model("vit_base_patch16_clip_224.openai", pretrained=True, num_classes=0).cuda().eval()


def clip_features(pixels):
    pixels = pixels.cuda().to(torch.bfloat16)
    with torch.autocast("cuda", enabled=False):   # keep the tower numerically in fp32
        return encoder(pixels)


print(clip_features(torch.rand(2, 3, 32, 32)).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: H1
# label: BFD001 at line 10
# adapted: a call of clip_features() with synthetic pixels added at the bottom
