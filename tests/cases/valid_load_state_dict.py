import torch
import timm

model = timm.create_model("vit_base_patch16_224", pretrained=True).cuda()
sd = {k: v.to(torch.bfloat16) for k, v in torch.load("ft.pt").items()}
model.load_state_dict(sd)
x = torch.rand(1, 3, 224, 224, device="cuda")
y = model(x)
