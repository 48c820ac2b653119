import torch

from models.backbone import Backbone


def run():
    model = Backbone().cuda().eval()
    images = torch.rand(2, 3, 224, 224, device="cuda").bfloat16()
    with torch.inference_mode():
        return model(images)


if __name__ == "__main__":
    print(run().shape)
