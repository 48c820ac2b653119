import numpy as np
import torch
import timm

model = timm.create_model("vit_small_patch16_224.augreg_in21k", pretrained=True).cuda().eval()
arr = np.load("frames.npy")
frames = torch.from_numpy(arr).permute(0, 3, 1, 2).to("cuda", torch.bfloat16)
rand = torch.randn(4, 3, 224, 224, dtype=torch.bfloat16, device="cuda")
with torch.no_grad():
    out = model(frames)  # expect: BFD001
    out2 = model(rand)  # expect: BFD001
