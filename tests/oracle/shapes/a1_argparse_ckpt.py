import argparse

import torch
from transformers import AutoModelForImageClassification


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", default="microsoft/resnet-18")
    parser.add_argument("--bf16", action="store_true")
    opts = parser.parse_args()

    net = AutoModelForImageClassification.from_pretrained(opts.checkpoint).cuda().eval()
    dtype = torch.bfloat16 if opts.bf16 else torch.float32
    frames = torch.rand(64, 3, 32, 32)
    with torch.no_grad():
        for chunk in frames.split(32):
            chunk = chunk.cuda().to(dtype)
            preds = net(pixel_values=chunk).logits.argmax(-1)
            print(preds.tolist())


if __name__ == "__main__":
    main()

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: A1
# label: BFD001 at line 19
# argv: --bf16
# adapted: torch.load("frames.pt") -> torch.rand(64, 3, 32, 32) (line 15)
