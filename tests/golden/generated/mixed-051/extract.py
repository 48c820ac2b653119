import torch
from PIL import Image
from transformers import AutoImageProcessor, AutoModel


def load_model():
    net = AutoModel.from_pretrained("microsoft/resnet-18")
    return net.eval()


def main():
    device = torch.device("cuda")

    processor = AutoImageProcessor.from_pretrained("microsoft/resnet-18")
    photos = [Image.open("sample.jpg").convert("RGB") for _ in range(2)]

    backbone = load_model()
    backbone = backbone.to(device)
    optimizer = torch.optim.SGD(backbone.parameters(), lr=0.01)

    backbone.train()
    for step in range(1):
        inputs = processor(images=photos, return_tensors="pt").to(device, torch.bfloat16)
        imgs = inputs.pixel_values
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            out = backbone(imgs).last_hidden_state
        loss = out.float().pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


if __name__ == "__main__":
    main()
