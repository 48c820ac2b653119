import timm
import torch
from torch.utils.data import DataLoader, Dataset


class Pipeline:
    def __init__(self, *steps):
        self.steps = steps

    def __call__(self, x):
        for step in self.steps:
            x = step(x)
        return x


class Rescale:
    def __call__(self, x):
        return x / 255.0


class LowPrecision:
    def __call__(self, x):
        return x.bfloat16()


class NpyFrames(Dataset):
    def __init__(self, frames, pipeline):
        self.frames, self.pipeline = frames, pipeline

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        return self.pipeline(self.frames[i])


frames = torch.randint(0, 256, (32, 3, 32, 32), dtype=torch.uint8)
net = timm.create_model("resnet34", pretrained=True).cuda().eval()
for clip in DataLoader(NpyFrames(frames, Pipeline(Rescale(), LowPrecision())), batch_size=16):
    logits = net(clip.cuda())

# ---- oracle label (read by tests/oracle/test_shapes.py; kept last so line numbers match SHAPES.md) ----
# shape: C4
# label: BFD001 at line 40
# adapted: torch.load("frames_uint8.pt") -> torch.randint(0, 256, (32, 3, 32, 32), dtype=torch.uint8) (line 38)
