"""Where the images come from and where they become bf16 (RULES.md "bf16 sources").

`make_data` writes the data section and returns the batch kind ("tensor", "tuple", "dict",
"feature"); data-level sources (a cached tensor, a dataset, a collate function, a transform,
a BatchFeature) make the batches bf16 there. `loop_source` returns the statements that make
the image bf16 inside the loop, after it reached the device."""
from __future__ import annotations

from typing import List

from .config import dtype_from_flag
from .parts import Parts

DATA_SOURCES = ("tensor_cache", "dataset_cache", "collate", "transform", "batch_feature")
LOOP_SOURCES = ("cast_literal", "dtype_variable", "flag_branch")
NEEDS_FLAG = ("dtype_variable", "flag_branch", "dataset_cache")

# Which batch shapes each data container yields.
DATA_KINDS = {
    "tensor_list": "tensor",
    "tensor_dataset": "tuple",
    "dict_samples": "dict",
    "dataset_class": "dict",
    "tuple_dataset_class": "tuple",
    "fake_data": "tuple",
    "image_folder": "tuple",
    "processor": "feature",
}

CAST_SPELLINGS = (
    "{x}.to(torch.bfloat16)", "{x}.bfloat16()", "{x}.type(torch.bfloat16)", "{x}.to(dtype=torch.bfloat16)",
    "{x}.to({dev}, torch.bfloat16)", "{x}.to({dev}, dtype=torch.bfloat16)",
    "{x}.to({dev}, dtype=torch.bfloat16, non_blocking=True)",
)


def bf16_dtype(p: Parts) -> str:
    """The dtype expression a source casts with: a literal, or the flag's dtype variable."""
    if p.flag is not None:
        return p.dtype or dtype_from_flag(p)
    return "torch.bfloat16"


def make_data(p: Parts, data: str, source: str) -> str:
    n, s = p.rng.choice((4, 4, 6)), p.size
    bs = 2
    loader = p.names["loader"]
    cast = None
    if source == "tensor_cache":
        dt = bf16_dtype(p)
        cast = p.pick(f".to({dt})", ".bfloat16()" if dt == "torch.bfloat16" else f".to(dtype={dt})")
    kind = DATA_KINDS[data]
    p.imports.add("import torch")
    if data == "tensor_list":
        tail = cast or ""
        p.data.append(f"{loader} = [torch.rand({bs}, 3, {s}, {s}){tail} for _ in range({n // bs})]")
    elif data == "tensor_dataset":
        p.imports.add("from torch.utils.data import DataLoader, TensorDataset")
        images = p.pick("images", "crops", "frames", "cache")
        p.data.append(f"{images} = torch.rand({n}, 3, {s}, {s})")
        if cast:
            p.data.append(f"{images} = {images}{cast}  # halves the memory of the cached split")
        p.data.append(f"labels = torch.randint(0, 10, ({n},))")
        p.data.append(f"{loader} = DataLoader(TensorDataset({images}, labels), batch_size={bs}{_collate(p, source, 'tuple')})")
    elif data == "dict_samples":
        p.imports.add("from torch.utils.data import DataLoader")
        key = p.names["key"]
        tail = cast or ""
        p.data.append(f'samples = [{{"{key}": torch.rand(3, {s}, {s}){tail}, "label": i % 10}} for i in range({n})]')
        p.data.append(f"{loader} = DataLoader(samples, batch_size={bs}{_collate(p, source, 'dict')})")
    elif data in ("dataset_class", "tuple_dataset_class"):
        _dataset_class(p, data, source, n, s, bs)
    elif data in ("fake_data", "image_folder"):
        p.imports.add("from torch.utils.data import DataLoader")
        p.imports.add("from torchvision import datasets")
        tf = _transform(p, source)
        if data == "fake_data":
            p.data.append(f"dataset = datasets.FakeData(size={n}, image_size=(3, {s}, {s}), num_classes=10, transform={tf})")
        else:
            p.data.append(f'dataset = datasets.ImageFolder("{p.pick("data/val", "images/train", "/data/imagenet/val")}", transform={tf})')
        p.data.append(f"{loader} = DataLoader(dataset, batch_size={bs}, shuffle={p.pick('False', 'True')})")
    elif data == "processor":
        p.imports.add("from PIL import Image")
        p.imports.add("from transformers import AutoImageProcessor")
        p.data.append(f'processor = AutoImageProcessor.from_pretrained("{p.names["checkpoint"]}")')
        p.data.append(f'photos = [Image.open("{p.pick("cat.jpg", "img_0001.png", "sample.jpg")}").convert("RGB") for _ in range({bs})]')
    else:
        raise ValueError(data)
    return kind


def _collate(p: Parts, source: str, kind: str) -> str:
    if source != "collate":
        return ""
    dt = bf16_dtype(p)
    key = p.names["key"]
    if kind == "tuple":
        p.add("data", """
def collate_to(items, dtype):
    images = torch.stack([image for image, _ in items]).to(dtype)
    labels = torch.stack([label for _, label in items])
    return images, labels
""", {"import torch"}, ["collate_to"])
    else:
        p.add("data", f"""
def collate_to(items, dtype):
    batch = {{"{key}": torch.stack([item["{key}"] for item in items]).to(dtype)}}
    batch["label"] = torch.tensor([item["label"] for item in items])
    return batch
""", {"import torch"}, ["collate_to"])
    if p.rng.random() < 0.5:
        p.imports.add("import functools")
        return f", collate_fn=functools.partial(collate_to, dtype={dt})"
    return f", collate_fn=lambda items: collate_to(items, {dt})"


def _dataset_class(p: Parts, data: str, source: str, n: int, s: int, bs: int) -> None:
    p.imports.add("from torch.utils.data import DataLoader")
    key = p.names["key"]
    cls = p.pick("CachedImages", "GPUCachedDataset", "TileDataset", "FrameCache")
    out = f'{{"{key}": image, "label": self.labels[i]}}' if data == "dataset_class" else "image, self.labels[i]"
    where = p.pick("init", "getitem") if source == "dataset_cache" else None
    if where == "init":
        store = "self.images = images.to(torch.bfloat16) if use_bf16 else images"
        get = "image = self.images[i]"
    elif where == "getitem":
        store = "self.images = images"
        get = "image = self.images[i]\n        if self.use_bf16:\n            image = image.bfloat16()"
    else:
        store = "self.images = images"
        get = "image = self.images[i]"
    tf = source == "transform"
    transform_arg = ", transform=None" if tf else ""
    transform_use = "\n        if self.transform is not None:\n            image = self.transform(image)" if tf else ""
    p.add("data", f"""
class {cls}(Dataset):
    def __init__(self, images, labels, use_bf16=False{transform_arg}):
        self.use_bf16 = use_bf16
        {store}
        self.labels = labels{chr(10) + '        self.transform = transform' if tf else ''}

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        {get}{transform_use}
        return {out}
""", {"import torch", "from torch.utils.data import Dataset"}, [cls])
    flag = p.flag if source == "dataset_cache" else "False"
    if source == "dataset_cache" and p.rng.random() < 0.3:
        flag = p.flag  # the same; spelled once more via a variable below
        p.data.append(f"use_bf16 = {p.flag}")
        flag = "use_bf16"
    extra = f", transform={_transform(p, source, tensor_input=True)}" if tf else ""
    p.data.append(f"dataset = {cls}(torch.rand({n}, 3, {s}, {s}), torch.randint(0, 10, ({n},)), use_bf16={flag}{extra})")
    p.data.append(f"{p.names['loader']} = DataLoader(dataset, batch_size={bs}{_collate(p, source, 'dict' if data == 'dataset_class' else 'tuple')})")


def _transform(p: Parts, source: str, tensor_input: bool = False) -> str:
    """A torchvision pipeline; with source == "transform" its last step makes bf16."""
    s = p.size
    v2 = p.rng.random() < 0.4
    if v2:
        p.imports.add("from torchvision.transforms import v2")
        steps = [] if tensor_input else ["v2.ToImage()", f"v2.Resize(({s}, {s}), antialias=True)"]
        if source == "transform":
            steps.append(f"v2.ToDtype({bf16_dtype(p)}, scale=True)")
        elif not tensor_input:
            steps.append("v2.ToDtype(torch.float32, scale=True)")
        steps.append("v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])")
        return "v2.Compose([" + ", ".join(steps) + "])"
    alias = p.pick("T", "transforms")
    p.imports.add(f"from torchvision import transforms as {alias}" if alias == "T" else "from torchvision import transforms")
    steps = [] if tensor_input else [f"{alias}.Resize(({s}, {s}))", f"{alias}.ToTensor()"]
    steps.append(f"{alias}.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))")
    if source == "transform":
        dt = bf16_dtype(p)
        steps.append(p.pick(f"{alias}.ConvertImageDtype({dt})", f"{alias}.Lambda(lambda t: t.to({dt}))"))
    return f"{alias}.Compose([" + ", ".join(steps) + "])"


def loop_source(p: Parts, source: str, x: str, dev: str) -> List[str]:
    """Statements (at loop-body level) that make the image bf16 after the device move."""
    if source == "cast_literal":
        return [f"{x} = " + p.pick(*CAST_SPELLINGS).format(x=x, dev=dev)]
    if source == "dtype_variable":
        dt = p.dtype or dtype_from_flag(p)
        return [f"{x} = " + p.pick(f"{x}.to({dt})", f"{x}.to(dtype={dt})", f"{x}.to({dev}, dtype={dt})")]
    if source == "flag_branch":
        cast = p.pick("{x}.bfloat16()", "{x}.to(torch.bfloat16)").format(x=x)
        return [f"if {p.flag}:", f"    {x} = {cast}"]
    return []
