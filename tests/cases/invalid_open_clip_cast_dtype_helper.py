# open_clip's get_cast_dtype maps the precision string to the input dtype: "bf16" is
# torch.bfloat16 while the tower built without precision= stays fp32; "amp" gives None.
import argparse

import open_clip
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--precision", default="bf16")
args = ap.parse_args()
model, _, _ = open_clip.create_model_and_transforms("ViT-B-32", pretrained="openai")
cast_dtype = open_clip.get_cast_dtype(args.precision)
images = torch.load("images.pt").cuda().to(dtype=cast_dtype)
model.encode_image(images)  # expect: BFD001

amp_dtype = open_clip.get_cast_dtype("amp")
if amp_dtype is not None:
    images = images.to(dtype=amp_dtype)
