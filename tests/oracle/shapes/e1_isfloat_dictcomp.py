import torch
from torch.utils.data import DataLoader
from torchvision.models.segmentation import deeplabv3_resnet50, DeepLabV3_ResNet50_Weights


def to_gpu(t):
    # upcast floating tensors (the disk cache is bf16), keep integer masks as they are
    return t.cuda(non_blocking=True).float() if t.is_floating_point() else t.cuda(non_blocking=True)


def validate(val_set):
    seg = deeplabv3_resnet50(weights=DeepLabV3_ResNet50_Weights.DEFAULT).cuda().eval()
    with torch.no_grad():
        for sample in DataLoader(val_set, batch_size=4):
            sample = {name: to_gpu(t) for name, t in sample.items()}
            pred = seg(sample["image"])["out"]


images = torch.rand(4, 3, 32, 32).to(torch.bfloat16)
masks = torch.randint(0, 21, (4, 32, 32)).long()
validate([{"image": i, "mask": m} for i, m in zip(images, masks)])

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: E1
# label: quiet
# adapted: torch.load("val_images.pt") -> torch.rand(4, 3, 32, 32) (line 19),
#   torch.load("val_masks.pt") -> torch.randint(0, 21, (4, 32, 32)) (line 20)
