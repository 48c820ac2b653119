# Autocasts that seem to protect the backbone call but do not: BFD003 at the autocast.
# The call itself is a certain crash (BFD001) under a disabled autocast or outside one
# around the loss only; under one hard-coded to 'cuda' while the device is chosen at run
# time it runs on a GPU and crashes on a CPU run (BFD002).
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
backbone = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").to(device)


def disabled(images):
    images = images.to(device, dtype=torch.bfloat16)
    with torch.autocast(device.type, dtype=torch.bfloat16, enabled=False):  # expect: BFD003
        return backbone(images)  # expect: BFD001


def hard_coded_cuda(images):
    images = images.to(device, dtype=torch.bfloat16)
    with torch.autocast("cuda", dtype=torch.bfloat16):  # expect: BFD003
        return backbone(images)  # expect: BFD002


def legacy_cuda_amp(images):
    images = images.to(device, dtype=torch.bfloat16)
    with torch.cuda.amp.autocast(dtype=torch.bfloat16):  # expect: BFD003
        return backbone(images)  # expect: BFD002


def loss_only(loader, criterion):
    for images, labels in loader:
        images = images.to(device, dtype=torch.bfloat16)
        feats = backbone(images)  # expect: BFD001
        with torch.autocast(device.type, dtype=torch.bfloat16):  # expect: BFD003
            loss = criterion(feats, labels.to(device))
        loss.backward()
