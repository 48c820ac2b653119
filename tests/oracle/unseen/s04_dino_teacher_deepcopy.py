# Self-distillation step: bf16 student, fp32 EMA teacher (DINO-style, heavily simplified).
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Head(nn.Module):
    def __init__(self, dim, out_dim=32):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(dim, 64), nn.GELU(), nn.Linear(64, out_dim))

    def forward(self, x):
        return self.mlp(x)


class MultiCropWrapper(nn.Module):
    def __init__(self, backbone, head):
        super().__init__()
        self.backbone = backbone
        self.head = head

    def forward(self, x):
        return self.head(self.backbone(x))


def cosine_momentum(step, total, base=0.996):
    return 1 - (1 - base) * (math.cos(math.pi * step / total) + 1) / 2


def main():
    device = "cuda"
    vit = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
    student = MultiCropWrapper(vit, Head(vit.embed_dim)).to(device)
    teacher = copy.deepcopy(student)
    for p in teacher.parameters():
        p.requires_grad = False

    # memory: train the student in pure bf16
    student = student.to(torch.bfloat16)
    opt = torch.optim.AdamW(student.parameters(), lr=1e-4)

    total = 3
    for step in range(total):
        crops = torch.rand(2, 3, 56, 56, device=device).to(torch.bfloat16)
        s_out = student(crops)
        with torch.no_grad():
            t_out = teacher(crops)
        loss = -(F.softmax(t_out.float() / 0.04, -1) * F.log_softmax(s_out.float() / 0.1, -1)).sum(-1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        m = cosine_momentum(step, total)
        with torch.no_grad():
            for ps, pt in zip(student.parameters(), teacher.parameters()):
                pt.mul_(m).add_(ps.detach().float(), alpha=1 - m)
        print(step, loss.item())


if __name__ == "__main__":
    main()
