"""Moving and casting nested batches (dicts, lists, tuples, namedtuples) as the libraries do."""
from __future__ import annotations

from typing import Any, Callable

import torch


def apply_to_tensors(data: Any, function: Callable[[torch.Tensor], Any]) -> Any:
    if isinstance(data, torch.Tensor):
        return function(data)
    if isinstance(data, dict):
        moved = {k: apply_to_tensors(v, function) for k, v in data.items()}
        try:
            return type(data)(moved)  # BatchFeature, OrderedDict, ...
        except TypeError:
            return moved
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(apply_to_tensors(v, function) for v in data))
    if isinstance(data, (list, tuple)):
        return type(data)(apply_to_tensors(v, function) for v in data)
    return data


def to_device(data: Any, device: Any) -> Any:
    """Moves every tensor, keeping its dtype (bf16 stays bf16)."""
    return apply_to_tensors(data, lambda t: t.to(device))


def floats_to(data: Any, dtype: torch.dtype) -> Any:
    """Casts floating tensors only (labels and ids keep their dtype)."""
    return apply_to_tensors(data, lambda t: t.to(dtype) if t.is_floating_point() else t)


class DeviceLoader:
    """Iterates a DataLoader and moves each batch to ``device`` (accelerate's DataLoaderShard,
    Fabric's _FabricDataLoader)."""

    def __init__(self, loader: Any, device: Any):
        self.loader, self.device = loader, device
        self.dataset = getattr(loader, "dataset", None)
        self.batch_size = getattr(loader, "batch_size", None)

    def __iter__(self):
        for batch in self.loader:
            yield to_device(batch, self.device)

    def __len__(self) -> int:
        return len(self.loader)
