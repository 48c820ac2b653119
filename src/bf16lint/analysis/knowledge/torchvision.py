"""torchvision transforms and datasets as data: what each transform does to a dtype, and
where each dataset takes its `transform`. Teaching the engine a transform or a dataset is
one entry here."""
from __future__ import annotations

# Transforms whose output dtype is their dtype argument (positional index, keyword).
CASTING_TRANSFORMS = {
    "ConvertImageDtype": (0, "dtype"),
    "ToDtype": (0, "dtype"),
}
# Transforms that turn a PIL image or ndarray into a float32 tensor.
TO_FLOAT_TENSOR = frozenset({"ToTensor"})
# Transforms that turn an image into a tensor of its own (uint8) dtype: not float.
TO_IMAGE_TENSOR = frozenset({"PILToTensor", "ToImage", "ToImageTensor"})
# Transforms that hold user callables applied in order.
COMPOSING_TRANSFORMS = frozenset({"Compose", "Sequential"})
# A transform wrapping one user callable.
CALLABLE_TRANSFORMS = frozenset({"Lambda"})
TRANSFORM_MODULES = ("torchvision.transforms", "torchvision.transforms.v2")
# Functional transforms (`import torchvision.transforms.functional as TF`): calls on a
# tensor, not transform classes. Casting ones: name -> (positional index, keyword) of the
# dtype; the rest keep their input's dtype (normalize, resize, crop, flip, pad, ...), except
# the conversions from images below.
FUNCTIONAL_MODULES = ("torchvision.transforms.functional", "torchvision.transforms.v2.functional")
CASTING_FUNCTIONALS = {"convert_image_dtype": (1, "dtype"), "to_dtype": (1, "dtype")}
FUNCTIONAL_TO_FLOAT = frozenset({"to_tensor"})
FUNCTIONAL_TO_IMAGE = frozenset({"pil_to_tensor", "to_image", "to_image_tensor", "to_pil_image", "to_grayscale"})

# Dataset class -> positional index of `transform` (the keyword is always `transform`).
DATASET_TRANSFORM_INDEX = {
    "ImageFolder": 1, "DatasetFolder": 3, "CIFAR10": 2, "CIFAR100": 2, "MNIST": 2, "FashionMNIST": 2,
    "KMNIST": 2, "EMNIST": 3, "SVHN": 2, "STL10": 3, "Food101": 2, "Flowers102": 2, "OxfordIIITPet": 4,
    "Caltech101": 2, "Caltech256": 1, "CelebA": 3, "CocoDetection": 2, "CocoCaptions": 2, "ImageNet": None,
    "Places365": 4, "LSUN": 2, "VOCSegmentation": 4, "VOCDetection": 4, "StanfordCars": 2, "DTD": 3,
    "FGVCAircraft": 3, "EuroSAT": 1, "GTSRB": 2, "Country211": 2, "PCAM": 2, "RenderedSST2": 2,
    "SUN397": 1, "INaturalist": 4, "FakeData": 3, "Imagenette": 3,
}
DATASET_MODULE = "torchvision.datasets"


def functional_name(qualified: str):
    """The functional transform a qualified call names (`TF.normalize`), or None."""
    for module in FUNCTIONAL_MODULES:
        if qualified.startswith(module + "."):
            return qualified[len(module) + 1:].split(".")[-1]
    return None


def transform_name(qualified: str):
    """The transform class a qualified call names, or None when it is not a torchvision
    transform (`T.ConvertImageDtype` after `import torchvision.transforms as T`)."""
    if functional_name(qualified) is not None:
        return None
    for module in TRANSFORM_MODULES:
        if qualified.startswith(module + "."):
            return qualified[len(module) + 1:].split(".")[-1]
    return None


def dataset_name(qualified: str):
    if qualified.startswith(DATASET_MODULE + "."):
        name = qualified.rsplit(".", 1)[-1]
        return name if name in DATASET_TRANSFORM_INDEX else None
    return None
