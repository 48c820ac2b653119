import torch
from models.backbone import Encoder


def main():
    device = "cuda"

    batches = [torch.rand(2, 3, 28, 28) for _ in range(2)]

    backbone = Encoder()
    backbone = backbone.to(device).eval()

    backbone.eval()
    with torch.no_grad():
        pieces = []
        for t in batches:
            pieces += [t.to(device, non_blocking=True)]
        pixels = torch.cat(pieces)
        pixels = pixels.to(device, torch.bfloat16)
        feats = backbone(pixels)
        print(feats.shape)


if __name__ == "__main__":
    main()
