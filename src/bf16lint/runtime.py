"""Runtime helpers behind the ``--fix-style wrap`` fix: make a model accept bf16 inputs.

This is the only bf16lint module that uses torch, and it imports torch lazily (inside the
functions), so ``import bf16lint.runtime`` costs nothing and works without torch installed.

    from bf16lint.runtime import float32_inputs
    model = float32_inputs(DinoClassifier(...))      # a bf16 batch now works without autocast

``float32_inputs`` registers one forward pre-hook that casts the floating tensors a call
receives (positional arguments, keyword arguments, and the image entries of dict batches)
to the dtype of the model's first floating parameter. For a float32 backbone that is
float32, so a bf16-cached batch no longer hits ``Input type (c10::BFloat16) and bias type
(float) should be the same``; for a model later cast with ``model.to(torch.bfloat16)`` it
is bf16, so the reverse crash cannot happen either. The dtype is read at every call, so a
model cast after wrapping stays consistent. Integer tensors (labels, masks, token ids) and
non-image dict entries are never touched. Under autocast the cast is harmless: autocast
casts the first conv/linear input to its own dtype anyway.

``cast_images`` is the batch-side helper: it casts only the image keys of a dict batch
(labels stay int64), for code that prefers to fix the data rather than the model.
"""
from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Optional, Sequence

# Keys that hold image tensors in dict batches. (The lead may move this tuple into a
# torch-free module of analysis/ and import it from there; keep the two in sync.)
# The same keys the linter treats as images (one table, torch-free).
from .analysis.knowledge import IMAGE_KEYS as DEFAULT_IMAGE_KEYS  # noqa: E402

# Attribute set on a wrapped module: the hook handle, which makes wrapping idempotent and
# lets ``remove_float32_inputs`` undo it.
_HANDLE_ATTR = "_bf16lint_float32_inputs_handle"

__all__ = ["DEFAULT_IMAGE_KEYS", "float32_inputs", "remove_float32_inputs", "cast_images"]


def _parameter_dtype(module: Any) -> Optional[Any]:
    """The dtype of the module's first floating parameter (or buffer), or None."""
    for tensor in module.parameters():
        if tensor.is_floating_point():
            return tensor.dtype
    for tensor in module.buffers():
        if tensor.is_floating_point():
            return tensor.dtype
    return None


def _cast_tensor(value: Any, dtype: Any) -> Any:
    import torch

    if isinstance(value, torch.Tensor) and value.is_floating_point() and value.dtype != dtype:
        return value.to(dtype)
    return value


def _cast_mapping(batch: Any, dtype: Any, image_keys: Sequence[str]) -> Any:
    """A shallow copy of ``batch`` with its floating image entries cast; the batch itself
    is left as it was (the caller may still use it). Returns ``batch`` when nothing changes."""
    changed = {}
    for key in image_keys:
        if key in batch:
            value = batch[key]
            new = _cast_tensor(value, dtype)
            if new is not value:
                changed[key] = new
    if not changed:
        return batch
    if type(batch) is dict:
        out = dict(batch)
    else:
        try:
            out = copy.copy(batch)  # keeps the type: OrderedDict, HF BatchFeature, ...
            for key, value in changed.items():
                out[key] = value
            return out
        except Exception:  # a read-only or exotic mapping: fall back to a plain dict
            out = dict(batch)
    out.update(changed)
    return out


def _cast_value(value: Any, dtype: Any, image_keys: Sequence[str]) -> Any:
    if isinstance(value, Mapping):
        return _cast_mapping(value, dtype, image_keys)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        items = [_cast_value(item, dtype, image_keys) for item in value]
        if all(new is old for new, old in zip(items, value)):
            return value
        return type(value)(items)
    return _cast_tensor(value, dtype)


class _Float32InputsHook:
    """The forward pre-hook. A module-level class rather than a closure, so that a wrapped
    model can still be pickled whole (``torch.save(model, ...)``, multiprocessing)."""

    def __init__(self, image_keys: Sequence[str]):
        self.image_keys = tuple(image_keys)

    def __call__(self, module: Any, args: tuple, kwargs: dict) -> Any:
        dtype = _parameter_dtype(module)
        if dtype is None:
            return None
        new_args = _cast_value(tuple(args), dtype, self.image_keys)
        new_kwargs = {name: _cast_value(value, dtype, self.image_keys) for name, value in kwargs.items()}
        if new_args is args and all(new_kwargs[name] is kwargs[name] for name in kwargs):
            return None
        return new_args, new_kwargs

    def __repr__(self) -> str:
        return f"float32_inputs(image_keys={self.image_keys!r})"


def float32_inputs(model: Any, image_keys: Sequence[str] = DEFAULT_IMAGE_KEYS) -> Any:
    """Make ``model`` cast its floating inputs to its own parameter dtype; return ``model``.

    The hook casts floating tensors among the positional and keyword arguments (and inside
    lists and tuples of them) and, for dict batches, only the entries named in
    ``image_keys``. Wrapping twice adds no second hook.
    """
    if getattr(model, _HANDLE_ATTR, None) is not None or any(
        isinstance(hook, _Float32InputsHook) for hook in getattr(model, "_forward_pre_hooks", {}).values()
    ):
        return model
    handle = model.register_forward_pre_hook(_Float32InputsHook(image_keys), with_kwargs=True)
    # object.__setattr__: nn.Module.__setattr__ would try to register non-tensors specially.
    object.__setattr__(model, _HANDLE_ATTR, handle)
    return model


def remove_float32_inputs(model: Any) -> Any:
    """Undo :func:`float32_inputs` (a no-op on a model that was not wrapped); return ``model``."""
    handle = getattr(model, _HANDLE_ATTR, None)
    if handle is not None:
        handle.remove()
        object.__setattr__(model, _HANDLE_ATTR, None)
    return model


def cast_images(batch: Any, dtype: Any = None, image_keys: Sequence[str] = DEFAULT_IMAGE_KEYS) -> Any:
    """Cast the image tensors of ``batch`` to ``dtype`` (default ``torch.float32``).

    A dict batch gets a shallow copy with only its floating ``image_keys`` entries cast
    (labels stay int64); a tensor is cast if floating; a list or tuple batch has its
    floating tensors cast (integer labels are left alone). The input is not modified.
    """
    import torch

    if dtype is None:
        dtype = torch.float32
    return _cast_value(batch, dtype, tuple(image_keys))
