import json

import open_clip
import torch

DTYPES = {"bf16": torch.bfloat16, "fp32": torch.float32}

run_cfg = {"arch": "ViT-B-32", "weights": "openai", "precision": "bf16"}  # the eval_config.json contents
run_cfg = json.loads(json.dumps(run_cfg))  # adapted: json.load(open("eval_config.json"))

tower, _, _ = open_clip.create_model_and_transforms(
    run_cfg["arch"], pretrained=run_cfg["weights"], precision=run_cfg["precision"])
tower = tower.cuda().eval()


def embed(loader):
    outs = []
    for imgs, _ in loader:
        imgs = imgs.cuda().to(DTYPES[run_cfg["precision"]])
        outs.append(tower.encode_image(imgs))
    return outs


print(len(embed([(torch.rand(2, 3, 32, 32), torch.zeros(2))])))

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: B3
# label: quiet
# adapted: `with open("eval_config.json") as f: run_cfg = json.load(f)` (lines 8-9) -> an inline dict
#   passed through a json round trip; a call of embed() with a one-batch synthetic loader at the bottom
