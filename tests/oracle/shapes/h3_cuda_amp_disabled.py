import torch
from segment_anything import sam_model_registry

sam = sam_model_registry["vit_b"](checkpoint="sam_vit_b_01ec64.pth").cuda()


@torch.no_grad()
def image_embeddings(batch, bf16=True):
    x = batch.cuda()
    if bf16:
        x = x.to(dtype=torch.bfloat16)
    with torch.cuda.amp.autocast(enabled=False):
        return sam.image_encoder(x)


print(image_embeddings(torch.rand(1, 3, 64, 64)).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: H3
# label: BFD001 at line 13
# adapted: a call of image_embeddings() with a synthetic batch added at the bottom (the SAM builder is
#   a stand-in: no checkpoint file is read)
