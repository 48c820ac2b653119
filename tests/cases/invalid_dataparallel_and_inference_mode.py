import torch
from torchvision.models import regnet_y_16gf, RegNet_Y_16GF_Weights

device = torch.device("cuda")
model = torch.nn.DataParallel(regnet_y_16gf(weights=RegNet_Y_16GF_Weights.IMAGENET1K_SWAG_E2E_V1)).to(device)
with torch.inference_mode(), torch.autocast(device_type=device.type, dtype=torch.bfloat16):
    for imgs, _ in loader:
        out = model(imgs.to(device, torch.bfloat16))  # expect: BFD002
