"""open_clip with precision="amp_bf16" keeps fp32 weights; this eval forgot the autocast."""
import argparse

import torch
import open_clip

parser = argparse.ArgumentParser()
parser.add_argument("--model", default="ViT-B-32")
parser.add_argument("--pretrained", default="laion2b_s34b_b79k")
parser.add_argument("--precision", default="amp_bf16", choices=["fp32", "amp", "amp_bf16", "bf16", "pure_bf16"])
args = parser.parse_args()

model, preprocess = open_clip.create_model_from_pretrained(args.model, pretrained=args.pretrained,
                                                           precision=args.precision, device="cuda")
model.eval()
input_dtype = torch.bfloat16 if "bf16" in args.precision else torch.float32

images = torch.randn(2, 3, 32, 32, device="cuda", dtype=input_dtype)
with torch.no_grad():
    feats = model.encode_image(images)
print(feats.shape, feats.dtype)
