import argparse


def get_args(argv=None):
    parser = argparse.ArgumentParser(description="Embed a folder of images")
    parser.add_argument("--precision", default="fp32", choices=["bf16", "fp32"])
    parser.add_argument("--model", default="vit_small_patch16_224")
    parser.add_argument("--batch-size", type=int, default=2)
    return parser.parse_args(argv)
