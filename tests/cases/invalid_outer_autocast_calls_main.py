import torch
import timm


def run(model, x):
    return model(x)  # expect: BFD002


def main():
    model = timm.create_model("resnet50", pretrained=True).cuda()
    x = torch.rand(2, 3, 224, 224, device="cuda", dtype=torch.bfloat16)
    with torch.autocast("cuda", dtype=torch.bfloat16):
        run(model, x)


main()
