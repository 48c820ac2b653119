"""Fine-tune a timm ResNet with settings from an inline YAML block (negative: model and
images get the same dtype)."""
import yaml
import torch
import torch.nn.functional as F
import timm

CONFIG = """
model:
  name: resnet50
  num_classes: 3
train:
  precision: bf16
  steps: 2
  batch_size: 2
"""


def main():
    cfg = yaml.safe_load(CONFIG)
    tcfg = cfg["train"]
    dtype = torch.bfloat16 if tcfg["precision"] == "bf16" else torch.float32
    device = "cuda"

    model = timm.create_model(cfg["model"]["name"], pretrained=True, num_classes=cfg["model"]["num_classes"])
    model = model.to(device=device, dtype=dtype)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)

    for step in range(tcfg["steps"]):
        images = torch.randn(tcfg["batch_size"], 3, 32, 32)
        labels = torch.randint(0, cfg["model"]["num_classes"], (tcfg["batch_size"],))
        images = images.to(device=device, dtype=dtype)
        labels = labels.to(device)
        out = model(images)
        loss = F.cross_entropy(out.float(), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"step {step} loss={loss.item():.3f}")


if __name__ == "__main__":
    main()
