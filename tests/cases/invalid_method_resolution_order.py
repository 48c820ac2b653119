# Methods are found in Python's method resolution order (C3): the first base that defines
# `prepare` wins, so `FloatRunner` gives the backbone float32 and `Bf16Runner` bf16.
import timm
import torch


class Runner:
    def prepare(self, x):
        return x


class Bf16Prep(Runner):
    def prepare(self, x):
        return x.to(torch.bfloat16)


class FloatPrep(Runner):
    def prepare(self, x):
        return x.float()


class FloatRunner(FloatPrep, Bf16Prep):
    pass


class Bf16Runner(Bf16Prep, FloatPrep):
    pass


model = timm.create_model("resnet50", pretrained=True).eval()
x = torch.rand(1, 3, 224, 224)
quiet = model(FloatRunner().prepare(x))
crash = model(Bf16Runner().prepare(x))  # expect: BFD001
