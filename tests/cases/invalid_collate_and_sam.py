# A collate function in the file returns bf16 images; SAM's image encoder gets them.
import torch
from segment_anything import sam_model_registry
from torch.utils.data import DataLoader


def collate_bf16(samples):
    images = torch.stack([s["image"] for s in samples]).to(torch.bfloat16)
    masks = torch.stack([s["mask"] for s in samples])
    return images, masks


sam = sam_model_registry["vit_b"](checkpoint="sam_vit_b_01ec64.pth").cuda()
loader = DataLoader(dataset, batch_size=4, collate_fn=collate_bf16)

for images, masks in loader:
    images = images.cuda()
    embeddings = sam.image_encoder(images)  # expect: BFD001
