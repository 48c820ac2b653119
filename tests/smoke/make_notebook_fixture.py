"""Writes fixtures/notebooks/train_full_featured.ipynb (run: python tests/smoke/make_notebook_fixture.py).

Kept here, outside fixtures/, so that `bf16lint fixtures/` never lints the generator.
Cell ids are fixed so regenerating gives the same bytes. Key cells (1-based over all
cells, markdown included): 13 model, 18 debugging (already casts), 23 train+val, 29 inference.
"""
import hashlib
import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "notebooks" / "train_full_featured.ipynb"

M, C = "markdown", "code"
CELLS = [
    # 1
    (M, """# DINOv2 fine-tuning on GPU-cached images

Fine-tune a DINOv2 ViT-S/14 backbone (torch.hub) with a linear head. The whole dataset is
cached on the GPU; with `use_bf16` the cache is stored in bfloat16 to halve its memory."""),
    # 2
    (C, """import time
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset"""),
    # 3
    (M, """## Config"""),
    # 4
    (C, """config = SimpleNamespace(
    data=SimpleNamespace(num_train=48, num_val=16, num_test=8, image_size=56, num_classes=4),
    training=SimpleNamespace(epochs=3, batch_size=16, lr_head=1e-2, lr_backbone=1e-3, weight_decay=0.05, seed=0),
)
# The cached images take half the GPU memory in bf16.
config.training.use_bf16 = True"""),
    # 5
    (C, """device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
torch.manual_seed(config.training.seed)
print(f"device: {device}, bf16 cache: {config.training.use_bf16}")"""),
    # 6
    (M, """## Data

The real run reads the images from disk once; here a small synthetic stand-in with the same
layout (normalized `3 x H x W` float images, integer labels) keeps the notebook self-contained."""),
    # 7
    (C, """def make_split(n, num_classes, image_size, generator):
    labels = torch.arange(n) % num_classes
    # one colour offset per class so there is something to learn
    offsets = torch.linspace(-1.0, 1.0, num_classes)
    images = [
        torch.randn(3, image_size, image_size, generator=generator) * 0.5 + offsets[label]
        for label in labels.tolist()
    ]
    return images, labels


g = torch.Generator().manual_seed(config.training.seed)
train_images, train_labels = make_split(config.data.num_train, config.data.num_classes, config.data.image_size, g)
val_images, val_labels = make_split(config.data.num_val, config.data.num_classes, config.data.image_size, g)
test_images, test_labels = make_split(config.data.num_test, config.data.num_classes, config.data.image_size, g)
print(len(train_images), tuple(train_images[0].shape), train_labels[:8])"""),
    # 8
    (C, """class GPUCachedDataset(Dataset):
    \"\"\"Keeps every image on the GPU so the DataLoader never touches the host.\"\"\"

    def __init__(self, images, labels, device, use_bf16=False):
        images = torch.stack(images)
        if use_bf16:
            # bf16 halves the cache; the model runs under autocast anyway
            self.images = images.to(device).to(torch.bfloat16)
        else:
            self.images = images.to(device, dtype=torch.float32)
        self.labels = labels.to(device)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        return {"image": self.images[idx], "label": self.labels[idx]}"""),
    # 9
    (C, """train_ds = GPUCachedDataset(train_images, train_labels, device, use_bf16=config.training.use_bf16)
val_ds = GPUCachedDataset(val_images, val_labels, device, use_bf16=config.training.use_bf16)
test_ds = GPUCachedDataset(test_images, test_labels, device, use_bf16=config.training.use_bf16)
print(len(train_ds), len(val_ds), len(test_ds))"""),
    # 10
    (C, """# data already lives on the GPU: no workers, no pinned memory
train_loader = DataLoader(train_ds, batch_size=config.training.batch_size, shuffle=True, num_workers=0)
val_loader = DataLoader(val_ds, batch_size=config.training.batch_size, shuffle=False, num_workers=0)
test_loader = DataLoader(test_ds, batch_size=config.data.num_test, shuffle=False, num_workers=0)"""),
    # 11
    (C, """sample = train_ds[0]
print(sample["image"].shape, sample["image"].dtype, sample["label"])"""),
    # 12
    (M, """## Model

DINOv2 ViT-S/14 from torch.hub as the backbone (CLS token features) and a linear head."""),
    # 13
    (C, """class DinoClassifier(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.backbone = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')
        self.head = nn.Linear(self.backbone.embed_dim, num_classes)

    def forward(self, x):
        feats = self.backbone(x)  # (B, embed_dim) CLS token
        return self.head(feats)


model = DinoClassifier(num_classes=config.data.num_classes)
model = model.to(device)"""),
    # 14
    (C, """n_params = sum(p.numel() for p in model.parameters())
print(f"{n_params / 1e6:.2f}M parameters, backbone embed_dim={model.backbone.embed_dim}")"""),
    # 15
    (C, """optimizer = torch.optim.AdamW(
    [
        {"params": model.backbone.parameters(), "lr": config.training.lr_backbone},
        {"params": model.head.parameters(), "lr": config.training.lr_head},
    ],
    weight_decay=config.training.weight_decay,
)
criterion = nn.CrossEntropyLoss()"""),
    # 16
    (M, """## Debugging

The first run died in the patch embedding with a dtype error. Look at one batch."""),
    # 17
    (C, """batch = next(iter(train_loader))
print({k: (tuple(v.shape), v.dtype, v.device) for k, v in batch.items()})"""),
    # 18
    (C, """# quick check: one forward pass with the images cast to float32
batch = next(iter(train_loader))
batch = {k: v.to(device) for k, v in batch.items()}
batch["image"] = batch["image"].float()
with torch.no_grad():
    logits = model(batch["image"])
debug_logits_dtype = logits.dtype
print(logits.shape, logits.dtype)"""),
    # 19
    (M, """## Training

Training runs under bf16 autocast; validation runs after every epoch."""),
    # 20
    (C, """def accuracy(logits, labels):
    return (logits.argmax(dim=-1) == labels).float().mean().item()"""),
    # 21
    (C, """train_losses = []
history = {"epoch_loss": [], "val_loss": [], "val_acc": []}"""),
    # 22
    (M, """### Main loop"""),
    # 23
    (C, """for epoch in range(config.training.epochs):
    model.train()
    t0 = time.time()
    epoch_loss = 0.0
    for batch in train_loader:
        batch = {k: v.to(device) for k, v in batch.items()}
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16):
            logits = model(batch['image'])
            loss = criterion(logits, batch['label'])
        loss.backward()
        optimizer.step()
        train_losses.append(loss.item())
        epoch_loss += loss.item()
    train_logits_dtype = logits.dtype
    history["epoch_loss"].append(epoch_loss / len(train_loader))

    # validation
    model.eval()
    val_loss, correct, seen = 0.0, 0, 0
    with torch.no_grad():
        for batch in val_loader:
            batch = {k: v.to(device) for k, v in batch.items()}
            logits = model(batch['image'])
            val_loss += criterion(logits, batch['label']).item() * len(batch['label'])
            correct += (logits.argmax(dim=-1) == batch['label']).sum().item()
            seen += len(batch['label'])
    val_logits_dtype = logits.dtype
    val_accuracy = correct / seen
    history["val_loss"].append(val_loss / seen)
    history["val_acc"].append(val_accuracy)
    print(f"epoch {epoch + 1}: train loss {history['epoch_loss'][-1]:.4f} | "
          f"val loss {history['val_loss'][-1]:.4f} | val acc {val_accuracy:.3f} | {time.time() - t0:.1f}s")"""),
    # 24
    (M, """## Results"""),
    # 25
    (C, """print(f"final val accuracy: {val_accuracy:.3f}")
print("epoch losses:", [round(l, 4) for l in history["epoch_loss"]])"""),
    # 26
    (C, """# loss curve, one char per step
lo, hi = min(train_losses), max(train_losses)
print("".join(" .:-=+*#%@"[min(9, int(9 * (l - lo) / max(hi - lo, 1e-8)))] for l in train_losses))"""),
    # 27
    (M, """## Inference

Predict the held-out images (cached the same way as the training data)."""),
    # 28
    (C, """class_names = [f"class_{i}" for i in range(config.data.num_classes)]"""),
    # 29
    (C, """model.eval()
batch = next(iter(test_loader))
images = batch["image"].to(device, non_blocking=True)
with torch.no_grad():
    logits = model(images)
probs = logits.softmax(dim=-1)
preds = probs.argmax(dim=-1).cpu()
inference_logits_dtype = logits.dtype"""),
    # 30
    (C, """for p, y in zip(preds.tolist(), batch["label"].tolist()):
    print(f"pred {class_names[p]:>8}  true {class_names[y]:>8}")
test_accuracy = (preds == batch["label"].cpu()).float().mean().item()
print(f"test accuracy: {test_accuracy:.3f}")"""),
]

# What the notebook showed when its author last ran it (through cell 23, which crashed in
# validation): a few stream outputs and the error, so --fix has outputs to keep intact.


def error_traceback(execution_count, source):
    lines = source.splitlines()
    line = [i for i, text in enumerate(lines, 1) if text.strip() == "logits = model(batch['image'])"][-1]
    return [
        "\u001b[0;31m---------------------------------------------------------------------------\u001b[0m",
        "\u001b[0;31mRuntimeError\u001b[0m                              Traceback (most recent call last)",
        f"Cell \u001b[0;32mIn[{execution_count}], line {line}\u001b[0m\n"
        f"\u001b[1;32m     {line - 1:>2}\u001b[0m {lines[line - 2].strip()}\n"
        f"\u001b[0;32m---> {line:>2}\u001b[0m {lines[line - 1].strip()}\n",
        "\u001b[0;31mRuntimeError\u001b[0m: Input type (c10::BFloat16) and bias type (float) should be the same",
    ]


OUTPUTS = {
    5: [new_output("stream", name="stdout", text="device: cuda, bf16 cache: True\n")],
    7: [new_output("stream", name="stdout", text="48 (3, 56, 56) tensor([0, 1, 2, 3, 0, 1, 2, 3])\n")],
    9: [new_output("stream", name="stdout", text="48 16 8\n")],
    11: [new_output("stream", name="stdout", text="torch.Size([3, 56, 56]) torch.bfloat16 tensor(0, device='cuda:0')\n")],
    14: [new_output("stream", name="stdout", text="22.06M parameters, backbone embed_dim=384\n")],
    18: [new_output("stream", name="stdout", text="torch.Size([16, 4]) torch.float32\n")],
}
EXECUTED_THROUGH = 23


def build():
    cells = []
    count = 0
    for number, (kind, source) in enumerate(CELLS, start=1):
        cell_id = hashlib.sha1(f"train_full_featured:{number}".encode()).hexdigest()[:8]
        if kind == M:
            cells.append(new_markdown_cell(source, id=cell_id))
            continue
        cell = new_code_cell(source, id=cell_id)
        if number <= EXECUTED_THROUGH:
            count += 1
            cell.execution_count = count
            cell.outputs = OUTPUTS.get(number, [])
            if number == EXECUTED_THROUGH:
                cell.outputs = [new_output(
                    "error", ename="RuntimeError",
                    evalue="Input type (c10::BFloat16) and bias type (float) should be the same",
                    traceback=error_traceback(count, source),
                )]
        cells.append(cell)
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {
            "codemirror_mode": {"name": "ipython", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": "3.11.9",
        },
    }
    return nb


if __name__ == "__main__":
    assert len(CELLS) == 30
    nb = build()
    nbformat.validate(nb)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(OUT))
    print(f"wrote {OUT}")
