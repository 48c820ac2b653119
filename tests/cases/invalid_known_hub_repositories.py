# Known non-casting vision repositories, with or without a ref after the name.
import torch

x = torch.load("batch.pt").cuda().bfloat16()
dino = torch.hub.load("facebookresearch/dinov2:main", "dinov2_vits14").cuda()
dino(x)  # expect: BFD001
resnet = torch.hub.load("pytorch/vision", "resnet50", weights="IMAGENET1K_V2").cuda()
resnet(x)  # expect: BFD001
