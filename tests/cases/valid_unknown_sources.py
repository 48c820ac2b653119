# Nothing says the data is bf16: unknown functions, unknown datasets, unused functions.
import timm
import torch

model = timm.create_model("resnet18", pretrained=True)


def run(images):
    return model(images)


def maybe(loader, dtype):
    for x in loader:
        model(x.to(dtype))


images = augment(torch.rand(2, 3, 224, 224).bfloat16())
model(images)
ds = SomeDataset(root, use_bf16=False)
for x in torch.utils.data.DataLoader(ds):
    model(x)
