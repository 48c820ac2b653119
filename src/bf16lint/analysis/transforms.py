"""Transform pipelines as values: `Compose([...])`, `ConvertImageDtype`, `v2.ToDtype`,
`Lambda`, and any user callable in a list. Calling a pipeline applies its steps in
order, so a bf16 cast anywhere in it makes the samples bf16; a torchvision dataset
applies its `transform` to each image (knowledge/torchvision.py says where it goes)."""
from __future__ import annotations

from dataclasses import dataclass

from .knowledge import torchvision as tv
from .values import UNKNOWN, BF16, Container, DType, Iterable, Tensor, Value


@dataclass(eq=False)
class Step(Value):
    """A torchvision transform the analysis knows: `kind` is "cast" (to `dtype`),
    "to_float" (ToTensor), "to_image" (uint8 tensor) or "keep"."""

    kind: str
    dtype: Value = UNKNOWN
    line: int = 0


@dataclass(eq=False)
class Pipeline(Value):
    steps: tuple


def build(name: str, node, args, kwargs, make_pipeline_steps):
    """The value of a torchvision transform constructor call."""
    if name in tv.CASTING_TRANSFORMS:
        index, keyword = tv.CASTING_TRANSFORMS[name]
        dtype = args[index] if len(args) > index else kwargs.get(keyword, UNKNOWN)
        return Step("cast", dtype, node.lineno if node is not None else 0)
    if name in tv.TO_FLOAT_TENSOR:
        return Step("to_float")
    if name in tv.TO_IMAGE_TENSOR:
        return Step("to_image")
    if name in tv.COMPOSING_TRANSFORMS:
        steps = args[0] if args and isinstance(args[0], Container) else None
        if name == "Sequential" or steps is None:
            return Pipeline(tuple(args))
        return Pipeline(make_pipeline_steps(steps))
    if name in tv.CALLABLE_TRANSFORMS and args:
        return Pipeline((args[0],))
    return Step("keep")


def list_steps(container: Container) -> tuple:
    """The steps of a list in order (items by index; one that was appended shows as the
    list's element and runs last)."""
    ordered = [container.items[k] for k in sorted(k for k in container.items if isinstance(k, int))]
    if container.elem is not UNKNOWN:
        ordered.append(container.elem)
    return tuple(ordered)


def apply_step(step: Step, value: Value, cast) -> Value:
    if step.kind == "cast":
        return cast(value, step.dtype)
    if step.kind == "to_float":
        return value if isinstance(value, Tensor) and value.dtype != UNKNOWN else Tensor("fp32")
    if step.kind == "to_image":
        return Tensor("other")
    return value  # Resize, Normalize, crops, flips: the dtype stays


def dataset_items(transform: Value, apply) -> Iterable:
    """(image, target) samples of a torchvision dataset: the image after `transform`."""
    image = apply(transform, UNKNOWN) if transform is not UNKNOWN else UNKNOWN
    return Iterable(Container("tuple", {0: image, 1: UNKNOWN}), "dataset")


def is_bf16_dtype(value) -> bool:
    return isinstance(value, DType) and value.dtype == BF16
