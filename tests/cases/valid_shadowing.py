import torch
import timm

model = timm.create_model("resnet50", pretrained=True).cuda()


def save_compact(x):
    x = x.to(torch.bfloat16)
    torch.save(x, "compact.pt")


def predict(x):
    return model(x.cuda())


for x, _ in loader:
    save_compact(x)
    predict(x)
