import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import torch  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402

from vitprobe.data import ProbeDataset  # noqa: E402
from vitprobe.modeling import LinearProbe  # noqa: E402

BF16 = True


def evaluate(model, loader, device):
    correct = 0
    for batch in loader:
        batch = {key: value.to(device) for key, value in batch.items()}
        logits = model(batch["pixel_values"])
        correct += (logits.argmax(-1) == batch["labels"]).sum().item()
    return correct


if __name__ == "__main__":
    device = "cuda"
    dataset = ProbeDataset(4, dtype=torch.bfloat16 if BF16 else torch.float32)
    model = LinearProbe().to(device).eval()
    with torch.no_grad():
        print(evaluate(model, DataLoader(dataset, batch_size=2), device))
