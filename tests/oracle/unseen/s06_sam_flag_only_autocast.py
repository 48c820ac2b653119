"""Cache SAM image embeddings for a set of frames (negative: bf16 only drives autocast)."""
import argparse

import numpy as np
import torch
from segment_anything import SamPredictor, sam_model_registry


def get_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-type", default="vit_b")
    ap.add_argument("--checkpoint", default="sam_vit_b_01ec64.pth")
    ap.add_argument("--bf16", action="store_true", help="run the encoder under bf16 autocast")
    return ap.parse_args()


def frames(n, h=48, w=64):
    rng = np.random.default_rng(0)
    for _ in range(n):
        yield rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8)


def main():
    args = get_args()
    sam = sam_model_registry[args.model_type](checkpoint=args.checkpoint)
    sam.to("cuda")
    predictor = SamPredictor(sam)

    amp_dtype = torch.bfloat16 if args.bf16 else torch.float32
    cache = []
    for i, frame in enumerate(frames(3)):
        with torch.autocast("cuda", dtype=amp_dtype, enabled=args.bf16):
            predictor.set_image(frame)
            emb = predictor.get_image_embedding()
        cache.append(emb.float().cpu())
        masks, scores, _ = predictor.predict(point_coords=np.array([[10, 10]]), point_labels=np.array([1]))
        print(i, tuple(emb.shape), masks.shape, float(scores.max()))
    torch.save(torch.cat(cache), "embeddings.pt")


if __name__ == "__main__":
    main()
