"""Script-level settings changed by setup() through `global`."""
import torch
import timm

DTYPE = torch.float32
DEVICE = "cpu"


def setup():
    global DTYPE, DEVICE
    if torch.cuda.is_available():
        DEVICE = "cuda"
        DTYPE = torch.bfloat16


def main():
    setup()
    model = timm.create_model("vit_base_patch16_224", pretrained=True).to(DEVICE).eval()
    x = torch.rand(2, 3, 32, 32, device=DEVICE, dtype=DTYPE)
    with torch.no_grad():
        print(model(x).shape)


main()
