"""Zero-shot classification with open_clip; images are pre-cast to bf16 to halve transfer size."""
import torch
import open_clip
from PIL import Image

CLASSNAMES = ["cat", "dog", "car", "plane"]
TEMPLATES = ["a photo of a {}.", "a blurry photo of a {}."]


def zeroshot_weights(model, tokenizer, device):
    weights = []
    for name in CLASSNAMES:
        tokens = tokenizer([t.format(name) for t in TEMPLATES]).to(device)
        emb = model.encode_text(tokens)
        emb = emb / emb.norm(dim=-1, keepdim=True)
        weights.append(emb.mean(0))
    w = torch.stack(weights, dim=1)
    return w / w.norm(dim=0, keepdim=True)


def main():
    device = "cuda"
    model, _, preprocess = open_clip.create_model_and_transforms(
        "ViT-B-32", pretrained="laion2b_s34b_b79k", device=device
    )
    tokenizer = open_clip.get_tokenizer("ViT-B-32")
    model.eval()

    paths = [f"samples/{i}.jpg" for i in range(3)]
    batch = torch.stack([preprocess(Image.open(p)) for p in paths])
    batch = batch.to(device).to(torch.bfloat16)

    with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16):
        classifier = zeroshot_weights(model, tokenizer, device)
        image_features = model.encode_image(batch)
        image_features = image_features / image_features.norm(dim=-1, keepdim=True)
        logits = 100.0 * image_features @ classifier

    probs = logits.float().softmax(dim=-1)
    for p, row in zip(paths, probs):
        print(p, CLASSNAMES[row.argmax().item()], f"{row.max().item():.2f}")


if __name__ == "__main__":
    main()
