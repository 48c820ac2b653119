# A registry filled by a decorator at definition time: MODELS["dino"] is the builder the
# decorator stored, so the bf16 batch reaches a DINOv2 backbone.
import torch

MODELS = {}


def register_model(name):
    def deco(fn):
        MODELS[name] = fn
        return fn
    return deco


@register_model("dino")
def build_dino():
    return torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")


@register_model("ident")
def build_ident():
    return torch.nn.Identity()


model = MODELS["dino"]()
x = torch.rand(1, 3, 224, 224).to(torch.bfloat16)
model(x)  # expect: BFD001
