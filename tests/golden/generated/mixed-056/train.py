"""Fine-tune a pretrained backbone."""
import argparse

import timm
import torch
from torch.utils.data import DataLoader, Dataset


class TileDataset(Dataset):
    def __init__(self, images, labels, use_bf16=False):
        self.use_bf16 = use_bf16
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        image = self.images[i]
        return image, self.labels[i]


def load_model():
    net = timm.create_model("resnet50", pretrained=True, num_classes=0)
    return net.eval()


def make_runner(net, device):
    def run(t):
        t = t.to(device)
        return net(t)
    return run


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    parser = argparse.ArgumentParser()
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    args = parser.parse_args()

    dataset = TileDataset(torch.rand(4, 3, 32, 32), torch.randint(0, 10, (4,)), use_bf16=False)
    val_loader = DataLoader(dataset, batch_size=2)

    net = load_model()
    net = net.cuda()
    optimizer = torch.optim.SGD(net.parameters(), lr=3e-4)
    runner = make_runner(net, device)

    net.train()
    for inputs_img, _ in val_loader:
        if args.precision == "bf16":
            inputs_img = inputs_img.bfloat16()
        emb = runner(inputs_img.float())
        loss = emb.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    main()
