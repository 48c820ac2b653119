import argparse
import torch
from transformers import AutoImageProcessor, AutoModelForImageClassification

ap = argparse.ArgumentParser()
ap.add_argument("--bf16", action="store_true")
args = ap.parse_args()
dtype = torch.bfloat16 if args.bf16 else torch.float32

processor = AutoImageProcessor.from_pretrained("microsoft/resnet-50")
model = AutoModelForImageClassification.from_pretrained("microsoft/resnet-50", torch_dtype=dtype).to("cuda")
inputs = processor(images=imgs, return_tensors="pt").to("cuda", dtype)
logits = model(**inputs).logits
