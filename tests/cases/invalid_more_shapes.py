# Config dicts from YAML, enumerate(tqdm(...)), per-key moves with **batch, Sequential, DDP.module.
import timm
import torch
import yaml
from torchvision.models import resnet50, ResNet50_Weights
from transformers import ResNetModel
from tqdm import tqdm

cfg = yaml.safe_load(open("c.yaml"))
model = resnet50(weights=ResNet50_Weights.IMAGENET1K_V2).cuda()
hf = ResNetModel.from_pretrained("microsoft/resnet-50").cuda()
seq = torch.nn.Sequential(timm.create_model("resnet18", pretrained=True), torch.nn.Identity())

for i, (images, labels) in enumerate(tqdm(loader)):
    if cfg["training"]["use_bf16"]:
        images = images.to(torch.bfloat16)
    images = images.to(device=device, memory_format=torch.channels_last)
    out = model(images)  # expect: BFD001

for batch in loader:
    batch["pixel_values"] = batch["pixel_values"].to("cuda", dtype=torch.bfloat16)
    out = hf(**batch)  # expect: BFD001
    out2 = seq(batch["pixel_values"])  # expect: BFD001

batch = next(iter(loader))
x = batch[0].cuda().bfloat16()
ddp = torch.nn.parallel.DistributedDataParallel(model)
ddp.module(x)  # expect: BFD001
