import torch
from torchvision.models import efficientnet_b0, EfficientNet_B0_Weights

model = efficientnet_b0(weights=EfficientNet_B0_Weights.DEFAULT).cuda()
amp_ctx = torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=False)  # expect: BFD003

for x, y in loader:
    x = x.cuda().to(dtype=torch.bfloat16)
    with amp_ctx:
        out = model(x)  # expect: BFD001
