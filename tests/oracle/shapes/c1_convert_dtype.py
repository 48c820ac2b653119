import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

eval_tf = T.Compose([
    T.Resize(256), T.CenterCrop(224), T.ToTensor(),
    T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
    T.ConvertImageDtype(torch.bfloat16),
])
gallery = datasets.ImageFolder("data/gallery", transform=eval_tf)
loader = DataLoader(gallery, batch_size=64, num_workers=4)

encoder = torch.hub.load("facebookresearch/dinov2", "dinov2_vitb14").cuda().eval()

with torch.inference_mode():
    bank = [encoder(imgs.cuda(non_blocking=True)) for imgs, _ in loader]

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: C1
# label: BFD001 at line 16
# adapted: nothing (ImageFolder is synthetic under the oracle)
