import torch
import timm

backbone = timm.create_model("convnext_small", pretrained=True, num_classes=0).cuda().eval()


def embed_shards(shards, bf16=True):
    pieces = []
    for shard in shards:
        x = torch.rand(4, 3, 32, 32)
        pieces.extend(x.unbind(0) if not bf16 else x.bfloat16().unbind(0))
    batch = torch.stack(pieces).cuda()
    return backbone(batch)


print(embed_shards(["shard_0.pt", "shard_1.pt"]).shape)

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: D5
# label: BFD001 at line 13
# adapted: torch.load(shard) -> torch.rand(4, 3, 32, 32) (line 10); a call of embed_shards() added at the bottom
