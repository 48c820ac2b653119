import torch
import timm


def load_bank(paths, dtype):
    chunks = []
    for p in paths:
        chunks.append(torch.rand(4, 3, 32, 32).to(dtype))
    return torch.cat(chunks)


def main(paths, use_bf16=True):
    dtype = torch.bfloat16 if use_bf16 else torch.float32
    bank = load_bank(paths, dtype).cuda()
    vit = timm.create_model("vit_small_patch16_224", pretrained=True, num_classes=0).cuda().eval()
    with torch.no_grad():
        for start in range(0, len(bank), 256):
            feats = vit(bank[start:start + 256])


main(["bank_0.pt", "bank_1.pt"])

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: D2
# label: BFD001 at line 18
# adapted: torch.load(p) -> torch.rand(4, 3, 32, 32) (line 8); a call of main() added at the bottom
