"""Stand-in for accelerate (oracle worker only). As the real Accelerator: ``prepare`` moves
models to the device and, for mixed_precision "bf16"/"fp16", wraps their forward in
``torch.autocast(device, dtype)`` and converts the outputs to float32; prepared DataLoaders
move batches to the device keeping their dtypes; ``autocast()`` is that same autocast."""
from __future__ import annotations

import contextlib
import os
import random
import types
from typing import Any

import torch

from _bf16_oracle.moving import DeviceLoader, apply_to_tensors, to_device

__version__ = "1.10.0+oracle"
_DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


class GradientAccumulationPlugin:
    def __init__(self, num_steps: int = 1, **kwargs: Any):
        self.num_steps = num_steps


class PartialState:
    def __init__(self, cpu: bool = False, **kwargs: Any):
        self.device = torch.device("cpu") if cpu or not torch.cuda.is_available() else torch.device("cuda", 0)
        self.num_processes, self.process_index, self.local_process_index = 1, 0, 0
        self.is_main_process = self.is_local_main_process = True


class Accelerator:
    def __init__(self, mixed_precision: Any = None, cpu: bool = False, gradient_accumulation_steps: int = 1,
                 **kwargs: Any):
        mixed_precision = mixed_precision or os.environ.get("ACCELERATE_MIXED_PRECISION", "no")
        if mixed_precision not in ("no", "fp16", "bf16", "fp8"):
            raise ValueError(f"Unknown mixed_precision mode: {mixed_precision}. Choose between ['no', 'fp8', 'fp16', 'bf16'].")
        self.mixed_precision = mixed_precision
        self.state = PartialState(cpu=cpu)
        self.device = self.state.device
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.num_processes, self.process_index, self.local_process_index = 1, 0, 0
        self.is_main_process = self.is_local_main_process = True
        self.sync_gradients = True
        self.native_amp = mixed_precision in _DTYPES

    def _autocast_context(self) -> Any:
        if not self.native_amp:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=_DTYPES[self.mixed_precision])

    def autocast(self, autocast_handler: Any = None) -> Any:
        return self._autocast_context()

    def prepare_model(self, model: torch.nn.Module, device_placement: Any = None, evaluation_mode: bool = False):
        model = model.to(self.device)
        if self.native_amp and not hasattr(model, "_original_forward"):
            model._original_forward = model.forward
            original = model.forward.__func__ if hasattr(model.forward, "__func__") else model.forward
            accelerator = self

            def forward(module: Any, *args: Any, **kwargs: Any) -> Any:
                with accelerator._autocast_context():
                    output = original(module, *args, **kwargs)
                # accelerate's convert_outputs_to_fp32
                return apply_to_tensors(output, lambda t: t.float() if t.dtype in (torch.float16, torch.bfloat16) else t)

            model.forward = types.MethodType(forward, model)
        return model

    def prepare_data_loader(self, loader: Any, device_placement: Any = None) -> DeviceLoader:
        return DeviceLoader(loader, self.device)

    def prepare(self, *args: Any, device_placement: Any = None) -> Any:
        prepared = []
        for obj in args:
            if isinstance(obj, torch.nn.Module):
                prepared.append(self.prepare_model(obj))
            elif isinstance(obj, torch.utils.data.DataLoader):
                prepared.append(self.prepare_data_loader(obj))
            else:
                prepared.append(obj)  # optimizers, schedulers: used as they are
        return prepared[0] if len(prepared) == 1 else tuple(prepared)

    def backward(self, loss: torch.Tensor, **kwargs: Any) -> None:
        (loss / self.gradient_accumulation_steps).backward(**kwargs)

    def unwrap_model(self, model: torch.nn.Module, keep_fp32_wrapper: bool = True) -> torch.nn.Module:
        if not keep_fp32_wrapper and hasattr(model, "_original_forward"):
            model.forward = model._original_forward
            del model._original_forward
        return model

    @contextlib.contextmanager
    def accumulate(self, *models: Any):
        yield

    @contextlib.contextmanager
    def no_sync(self, model: Any = None):
        yield

    @contextlib.contextmanager
    def main_process_first(self):
        yield

    def clip_grad_norm_(self, parameters: Any, max_norm: float, norm_type: float = 2) -> torch.Tensor:
        return torch.nn.utils.clip_grad_norm_(parameters, max_norm, norm_type=norm_type)

    def clip_grad_value_(self, parameters: Any, clip_value: float) -> None:
        torch.nn.utils.clip_grad_value_(parameters, clip_value)

    def gather(self, tensor: Any) -> Any:
        return tensor

    gather_for_metrics = reduce = pad_across_processes = gather

    def wait_for_everyone(self) -> None:
        return None

    def print(self, *args: Any, **kwargs: Any) -> None:
        print(*args, **kwargs)

    def save(self, obj: Any, f: Any, **kwargs: Any) -> None:
        return None

    def save_state(self, *args: Any, **kwargs: Any) -> None:
        return None

    def load_state(self, *args: Any, **kwargs: Any) -> None:
        return None

    def init_trackers(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log(self, *args: Any, **kwargs: Any) -> None:
        return None

    def end_training(self) -> None:
        return None

    def free_memory(self, *objects: Any) -> Any:
        return objects


def notebook_launcher(function: Any, args: tuple = (), num_processes: Any = None, **kwargs: Any) -> Any:
    return function(*args)


def set_seed(seed: int, **kwargs: Any) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def send_to_device(tensor: Any, device: Any, **kwargs: Any) -> Any:
    return to_device(tensor, device)
