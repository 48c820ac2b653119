"""torchvision.datasets stand-in: synthetic, deterministic, nothing read from or written to disk.
Samples are PIL images (RGB; MNIST-likes are "L") passed through ``transform`` and an int
label through ``target_transform``, as the real datasets yield them."""
from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple

from PIL import Image

from torch.utils.data import Dataset


class VisionDataset(Dataset):
    _length = 32
    _classes: List[str] = [f"class_{i}" for i in range(10)]
    _size = (32, 32)
    _mode = "RGB"

    def __init__(self, root: Any = "data", transform: Optional[Callable] = None,
                 target_transform: Optional[Callable] = None, transforms: Optional[Callable] = None, **_: Any):
        self.root = str(root)
        self.transform, self.target_transform, self.transforms = transform, target_transform, transforms
        self.classes = list(self._classes)
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}
        self.targets = [i % len(self.classes) for i in range(self._length)]

    def __len__(self) -> int:
        return len(self.targets)

    def _image(self, index: int) -> Image.Image:
        return Image._synthetic(f"{type(self).__name__}/{self.root}/{index}", self._size, self._mode)

    def __getitem__(self, index: int) -> Tuple[Any, Any]:
        image, target = self._image(index), self.targets[index]
        if self.transforms is not None:
            return self.transforms(image, target)
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target


class DatasetFolder(VisionDataset):
    _length = 16
    _classes = ["cat", "dog"]
    _size = (80, 64)

    def __init__(self, root: Any, loader: Optional[Callable] = None, extensions: Any = None, transform: Any = None,
                 target_transform: Any = None, is_valid_file: Any = None, **kwargs: Any):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.loader = loader
        self.samples = [(f"{self.root}/{self.classes[t]}/{i}.jpg", t) for i, t in enumerate(self.targets)]
        self.imgs = self.samples

    def _image(self, index: int) -> Any:
        path = self.samples[index][0]
        return self.loader(path) if self.loader is not None else Image.open(path).convert("RGB")


class ImageFolder(DatasetFolder):
    pass


class CIFAR10(VisionDataset):
    _classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    def __init__(self, root: Any = "data", train: bool = True, transform: Any = None, target_transform: Any = None,
                 download: bool = False, **kwargs: Any):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train


class CIFAR100(CIFAR10):
    _classes = [f"class_{i}" for i in range(100)]


class MNIST(CIFAR10):
    _classes = [str(i) for i in range(10)]
    _size = (28, 28)
    _mode = "L"


class FashionMNIST(MNIST):
    pass


class STL10(CIFAR10):
    _size = (96, 96)

    def __init__(self, root: Any = "data", split: str = "train", **kwargs: Any):
        super().__init__(root, **kwargs)


class ImageNet(ImageFolder):
    def __init__(self, root: Any, split: str = "train", **kwargs: Any):
        super().__init__(root, **kwargs)


class Food101(STL10):
    pass


class Flowers102(STL10):
    pass


class OxfordIIITPet(STL10):
    pass


class FakeData(VisionDataset):
    def __init__(self, size: int = 1000, image_size: Tuple[int, int, int] = (3, 224, 224), num_classes: int = 10,
                 transform: Any = None, target_transform: Any = None, random_offset: int = 0):
        super().__init__("fake", transform=transform, target_transform=target_transform)
        self._size = (image_size[2], image_size[1])
        self._mode = "L" if image_size[0] == 1 else "RGB"
        self.classes = [f"class_{i}" for i in range(num_classes)]
        self.targets = [i % num_classes for i in range(size)]
