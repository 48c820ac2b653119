"""Half-precision inference over a bf16 batch: the model is fp16, the batch bf16."""
import argparse

import torch
import timm


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="efficientnet_b0")
    parser.add_argument("--half", action="store_true")
    parser.add_argument("--bf16-inputs", action="store_true")
    args = parser.parse_args()

    model = timm.create_model(args.arch, pretrained=True)
    model.cuda().eval()
    if args.half:
        model.half()

    x = torch.rand(2, 3, 48, 48).cuda()
    if args.bf16_inputs:
        x = x.bfloat16()

    with torch.no_grad():
        logits = model(x)
    top5 = logits.float().softmax(-1).topk(5)
    print(top5.indices.tolist())
    print([round(v, 4) for v in top5.values[0].tolist()])


if __name__ == "__main__":
    main()
