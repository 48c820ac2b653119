import argparse
import timm
import torch

parser = argparse.ArgumentParser()
parser.add_argument("--bf16", action="store_true")
args = parser.parse_args()

model = timm.create_model("efficientnet_b3", pretrained=True).cuda()
opt = torch.optim.AdamW(model.parameters(), lr=3e-4, fused=args.bf16)
for images, labels in loader:
    images, labels = images.cuda(), labels.cuda()
    with torch.autocast("cuda", dtype=torch.bfloat16, enabled=args.bf16):
        loss = torch.nn.functional.cross_entropy(model(images), labels)
    loss.backward()
