import torch
import timm

vit = timm.create_model("vit_base_patch16_224", pretrained=True).cuda().eval()


def run(stream):
    for frames in stream:
        frames = frames.cuda().to(torch.bfloat16)
        if frames.element_size() < 4:
            frames = frames.to(torch.float32)
        yield vit(frames)


for out in run([torch.rand(2, 3, 32, 32)]):
    print(out.shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: E5
# label: quiet
# adapted: the generator run() consumed at the bottom with a one-item synthetic stream
