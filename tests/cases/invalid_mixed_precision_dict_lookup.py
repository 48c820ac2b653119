import argparse
import torch
from torchvision.models import swin_t, Swin_T_Weights

parser = argparse.ArgumentParser()
parser.add_argument("--mixed_precision", default="bf16", choices=["no", "fp16", "bf16"])
args = parser.parse_args()
DTYPES = {"no": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
weight_dtype = DTYPES[args.mixed_precision]

model = swin_t(weights=Swin_T_Weights.IMAGENET1K_V1).cuda().eval()
for images, _ in loader:
    images = images.cuda().to(weight_dtype)
    feats = model(images)  # expect: BFD001
