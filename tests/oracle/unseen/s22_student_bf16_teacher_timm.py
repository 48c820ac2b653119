"""Distil a timm ConvNeXt teacher into a small bf16 student (student and teacher share
the input batch)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import timm


class Student(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x):
        return self.fc(self.body(x))


def kd_loss(s, t, T=2.0):
    return F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1), reduction="batchmean") * T * T


def main():
    device = "cuda"
    teacher = timm.create_model("convnext_tiny", pretrained=True, num_classes=10).to(device).eval()
    student = Student().to(device).to(torch.bfloat16)
    opt = torch.optim.SGD(student.parameters(), lr=0.01)

    for it in range(2):
        x = torch.rand(4, 3, 32, 32, device=device, dtype=torch.bfloat16)
        s_logits = student(x)
        with torch.no_grad():
            t_logits = teacher(x)
        loss = kd_loss(s_logits.float(), t_logits.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(it, loss.item())


if __name__ == "__main__":
    main()
