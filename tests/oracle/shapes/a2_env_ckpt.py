import os

import torch
from transformers import AutoModel

CKPT = os.environ.get("EMBED_CKPT", "facebook/convnext-small-224")

encoder = AutoModel.from_pretrained(CKPT).to("cuda").eval()


@torch.no_grad()
def embed(pixels):
    pixels = pixels.to("cuda", dtype=torch.bfloat16)
    return encoder(pixels).pooler_output


print(embed(torch.rand(2, 3, 32, 32)).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: A2
# label: BFD001 at line 14
# adapted: a call of embed() with synthetic pixels added at the bottom (EMBED_CKPT unset)
