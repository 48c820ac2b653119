"""Compare several frozen backbones on the same batch (bf16 storage from the config class)."""
import torch
import torchvision


class CFG:
    device = "cuda"
    storage_dtype = torch.bfloat16
    n_images = 2


def build_backbones():
    return {
        "resnet50": torch.hub.load("pytorch/vision", "resnet50", weights="IMAGENET1K_V2"),
        "vit_b_16": torchvision.models.get_model("vit_b_16", weights="DEFAULT"),
    }


def main():
    images = torch.rand(CFG.n_images, 3, 32, 32).to(CFG.storage_dtype)
    results = {}
    for name, net in build_backbones().items():
        net = net.to(CFG.device).eval()
        with torch.no_grad():
            out = net(images.to(CFG.device))
        results[name] = out.float().softmax(-1).max(-1).values.mean().item()
    for name, conf in results.items():
        print(f"{name:10s} mean confidence {conf:.3f}")


if __name__ == "__main__":
    main()
