import torch
import timm

torch.autocast(device_type="cuda", dtype=torch.bfloat16).__enter__()
model = timm.create_model("resnet50", pretrained=True).cuda()
x = torch.rand(2, 3, 224, 224, device="cuda", dtype=torch.bfloat16)
y = model(x)  # expect: BFD002
