"""Everything in bf16 via the default dtype (negative: model and data are both bf16)."""
import torch
import timm

torch.set_default_dtype(torch.bfloat16)

model = timm.create_model("deit_base_patch16_224", pretrained=True).cuda().eval()
images = torch.rand(2, 3, 32, 32).cuda()
with torch.no_grad():
    logits = model(images)
print(logits.dtype, logits.argmax(-1))
