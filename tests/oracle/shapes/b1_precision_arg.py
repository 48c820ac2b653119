import argparse

import open_clip
import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="ViT-L-14")
    ap.add_argument("--precision", default="bf16", choices=["fp32", "bf16"])
    cfg = ap.parse_args()

    clip, _, preprocess = open_clip.create_model_and_transforms(
        cfg.model, pretrained="openai", precision=cfg.precision, device="cuda")
    cast = torch.bfloat16 if cfg.precision == "bf16" else torch.float32
    crops = torch.rand(4, 3, 32, 32).cuda().to(cast)
    with torch.no_grad():
        emb = clip.encode_image(crops)
    torch.save(emb.float().cpu(), "emb.pt")


if __name__ == "__main__":
    main()

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: B1
# label: quiet
# adapted: torch.load("crops.pt") -> torch.rand(4, 3, 32, 32) (line 16); emb.pt is written to the run's own folder
