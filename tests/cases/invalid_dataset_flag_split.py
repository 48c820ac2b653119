# A dataset that stores bf16 under a flag read from the environment, passed in by keyword:
# the path where the flag is on is a real path, however the dataset was built before it.
import os

import timm
import torch
from torch.utils.data import DataLoader, Dataset

use_bf16 = os.environ.get("USE_BF16", "1") == "1"


class FrameCache(Dataset):
    def __init__(self, images, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = self.images[i]
        if self.use_bf16:
            image = image.bfloat16()
        return image


loader = DataLoader(FrameCache(torch.rand(4, 3, 32, 32), use_bf16=use_bf16), batch_size=2)
backbone = timm.create_model("efficientnet_b0", pretrained=True).cuda()
for images in loader:
    backbone(images.cuda())  # expect: BFD001
