"""The default dtype is switched to bf16 after the model is built: new tensors are bf16."""
import torch
import timm

model = timm.create_model("vit_small_patch16_224", pretrained=True).cuda().eval()
torch.set_default_dtype(torch.bfloat16)

x = torch.rand(2, 3, 32, 32, device="cuda")
with torch.no_grad():
    print(model(x).shape)
