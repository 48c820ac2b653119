import timm
import torch

student = timm.create_model("resnet18", pretrained=False, num_classes=1000).cuda().to(torch.bfloat16)
teacher = timm.create_model("vit_large_patch16_224", pretrained=True).cuda().eval()
opt = torch.optim.AdamW(student.parameters())

for x, y in loader:
    x = x.cuda().to(torch.bfloat16)
    s_logits = student(x)
    with torch.no_grad():
        t_logits = teacher(x)  # expect: BFD001
    loss = torch.nn.functional.kl_div(s_logits.log_softmax(-1), t_logits.softmax(-1))
