"""GPU-side normalization done in place to avoid extra allocations; the decoded frames are bf16."""
import torch
import timm

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)


def decode_frames(n, device):
    raw = torch.randint(0, 256, (n, 3, 32, 32), device=device, dtype=torch.uint8)
    return raw.to(torch.bfloat16).div_(255)


def normalize_(x, mean, std):
    x.sub_(mean).div_(std)
    return x


@torch.inference_mode()
def main():
    device = "cuda"
    model = timm.create_model("convnext_small", pretrained=True, num_classes=0).to(device).eval()
    mean, std = MEAN.to(device), STD.to(device)
    frames = decode_frames(4, device)
    frames = normalize_(frames, mean, std)
    feats = model(frames)
    print(feats.shape)


if __name__ == "__main__":
    main()
