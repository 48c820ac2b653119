import torch
from segment_anything import sam_model_registry

sam = sam_model_registry["vit_h"](checkpoint="sam_vit_h_4b8939.pth").cuda()
encoder = sam.image_encoder

for batch in loader:
    imgs = batch["image"].cuda().to(torch.bfloat16)
    with torch.no_grad():
        embeddings = encoder(imgs)  # expect: BFD001
