import lightning as L
import timm
import torch

fabric = L.Fabric(accelerator="cuda", precision="bf16-mixed")
fabric.launch()
model = timm.create_model("convnext_tiny", pretrained=True)
optimizer = torch.optim.AdamW(model.parameters())
model, optimizer = fabric.setup(model, optimizer)
for x, y in fabric.setup_dataloaders(loader):
    x = x.to(torch.bfloat16)
    out = model(x)  # expect: BFD002
