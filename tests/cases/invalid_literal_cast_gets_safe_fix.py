# A literal bf16 cast still gets a safe fix (insert `.float()` after the move); where the
# same tensor also feeds a model cast to bf16, the cast goes at the fp32 call instead.
import timm
import torch


@torch.no_grad()
def evaluate(net, loader):
    for x, y in loader:
        x = x.to("cuda", dtype=torch.bfloat16, non_blocking=True)
        logits = net(x)  # expect: BFD001
        print(logits.argmax(1) == y)


evaluate(timm.create_model("resnet50", pretrained=True).cuda().eval(), torch.load("val.pt"))


def distill(loader):
    teacher = timm.create_model("convnext_base", pretrained=True).cuda().eval()
    student = timm.create_model("resnet18", pretrained=True).cuda().bfloat16()
    for imgs, _ in loader:
        imgs = imgs.cuda().bfloat16()
        soft = teacher(imgs).softmax(-1)  # expect: BFD001
        hard = student(imgs)
        print(soft, hard)


def distill_dict_batch(loader):
    teacher = timm.create_model("vit_small_patch16_224", pretrained=True).cuda().eval()
    student = timm.create_model("resnet18", pretrained=False).cuda().to(dtype=torch.bfloat16)
    for sample in loader:
        sample["image"] = sample["image"].cuda().to(dtype=torch.bfloat16)
        target = teacher(sample["image"])  # expect: BFD001
        outputs = student(sample["image"])
        print(target, outputs)
