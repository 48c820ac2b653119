import torch
import torch.nn.functional as F
import timm


def distill(loader, bf16=True):
    dt = torch.bfloat16 if bf16 else torch.float32
    teacher = timm.create_model("convnext_base", pretrained=True).cuda().eval()
    student = timm.create_model("resnet18", pretrained=True).cuda().to(dt)
    opt = torch.optim.AdamW(student.parameters(), lr=3e-4)
    for imgs, _ in loader:
        imgs = imgs.cuda(non_blocking=True).to(dt)
        with torch.no_grad():
            soft = teacher(imgs).softmax(-1)
        loss = F.kl_div(student(imgs).float().log_softmax(-1), soft.float(), reduction="batchmean")
        loss.backward(); opt.step(); opt.zero_grad()


distill([(torch.rand(2, 3, 32, 32), torch.zeros(2))])

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: J1
# label: BFD001 at line 14
# adapted: a call of distill() with a one-batch synthetic loader added at the bottom
