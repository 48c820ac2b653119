"""Patches the worker applies to torch before it forks children (never in any other process).

- CUDA on CPU: every ``cuda`` device argument (factories' ``device=``, ``Tensor.to``,
  ``Tensor.cuda``, and ``Module.to/.cuda``, which go through them) names the CPU instead;
  ``torch.cuda`` answers as a GPU with bf16 would. (Wrappers on those functions, not a
  TorchFunctionMode: a mode puts every torch call through Python, ~18% slower programs.)
- Autocast: ``torch.autocast("cuda", ...)`` and every other spelling becomes CPU autocast with
  the dtype a GPU would use (cuda's default is float16, CPU autocast supports it for conv and
  linear), so a program behaves as on a GPU. An autocast only casts ops on its own device, so
  one for the device the program does not use is a no-op on the real state: the program's
  device is "cuda" once it has put anything on CUDA (``STATE.program_cuda``), "cpu" before;
  decided when the autocast is entered. In ``autocast=False`` runs every autocast is built
  disabled: that run tells whether an autocast was all that kept a program alive.
- ``torch.hub.load`` resolves known vision entries to tiny stand-ins; nothing is downloaded.

The environment variable ``ORACLE_CUDA=0`` in a program's env turns the CUDA redirection off
for that program: ``torch.cuda.is_available()`` is False and ``autocast("cuda")`` disables
itself with a warning, as on a machine without a GPU.
"""
from __future__ import annotations

import functools
from typing import Any

import torch


class _State:
    autocast = True  # False: every autocast is built disabled
    cuda = True  # False: behave as a machine without CUDA
    autocast_entered = False  # set when the program enters an enabled autocast that casts
    cuda_autocast_depth = 0  # how many redirected "cuda" autocasts are open (and casting)
    # True once the program has put a tensor or module on "cuda" (really the CPU): from then on
    # its ops count as CUDA ops, which a "cpu" autocast leaves alone (and before, a "cuda" one).
    program_cuda = False
    # Autocasts entered for the device the program does not use: (device, enabled, dtype),
    # innermost last; they change nothing, but torch.is_autocast_enabled(device) sees them.
    idle_autocasts: list = []
    passthrough = False  # torch's own autocast __enter__/__exit__ is running: the real state


def reset_program_state() -> None:
    """A forked child starts a program: nothing it did is known yet."""
    STATE.autocast_entered = False
    STATE.cuda_autocast_depth = 0
    STATE.program_cuda = False
    STATE.idle_autocasts = []


def program_device() -> str:
    """The device type the program's ops run on, as the program sees it."""
    return "cuda" if STATE.program_cuda else "cpu"


STATE = _State()

_CPU = torch.device("cpu")
_real = {}


def _is_cuda(value: Any) -> bool:
    if isinstance(value, torch.device):
        return value.type == "cuda"
    if isinstance(value, str):
        return value == "cuda" or value.startswith("cuda:")
    return False


def _cpu(value: Any) -> Any:
    return _CPU if _is_cuda(value) else value


def _device_kwarg(kwargs: dict) -> dict:
    device = kwargs["device"]
    if (isinstance(device, int) and not isinstance(device, bool)) or _is_cuda(device):  # device=0 is cuda:0
        STATE.program_cuda = True
        return dict(kwargs, device=_CPU)
    return kwargs


def _with_cpu_device(function):
    """A factory (``torch.zeros(..., device="cuda")``) whose CUDA device becomes the CPU."""

    @functools.wraps(function)
    def factory(*args, **kwargs):
        if STATE.cuda and "device" in kwargs:
            kwargs = _device_kwarg(kwargs)
        return function(*args, **kwargs)

    return factory


def _tensor_to(self, *args, **kwargs):
    if STATE.cuda:
        if args and ((isinstance(args[0], int) and not isinstance(args[0], bool)) or _is_cuda(args[0])):
            STATE.program_cuda = True
            args = (_CPU,) + args[1:]  # x.to("cuda"), x.to(0), x.to(torch.device("cuda"), dtype)
        if "device" in kwargs:
            kwargs = _device_kwarg(kwargs)
    return _real["Tensor.to"](self, *args, **kwargs)


def _tensor_cuda(self, device=None, non_blocking=False, memory_format=torch.preserve_format):
    if STATE.cuda:
        STATE.program_cuda = True
        return self
    return _real["Tensor.cuda"](self, device, non_blocking, memory_format=memory_format)


def _tensor_pin_memory(self, *args, **kwargs):
    return self if STATE.cuda else _real["Tensor.pin_memory"](self, *args, **kwargs)


def _tensor_type(self, dtype=None, non_blocking=False, **kwargs):
    if STATE.cuda and isinstance(dtype, str) and dtype.startswith("torch.cuda."):
        STATE.program_cuda = True
        dtype = dtype.replace("torch.cuda.", "torch.")
    return _real["Tensor.type"](self, dtype, non_blocking, **kwargs)


# Every torch function that takes a device= argument (a tensor made on "cuda" is made on the CPU).
_FACTORIES = ("tensor", "as_tensor", "asarray", "zeros", "ones", "empty", "full", "rand", "randn", "randint",
              "randperm", "arange", "range", "linspace", "logspace", "eye", "zeros_like", "ones_like", "empty_like",
              "full_like", "rand_like", "randn_like", "randint_like", "scalar_tensor", "empty_strided", "normal",
              "tril_indices", "triu_indices", "sparse_coo_tensor", "complex", "polar", "frombuffer", "hann_window",
              "hamming_window", "bartlett_window", "blackman_window", "kaiser_window", "empty_permuted")
_TENSOR_FACTORIES = ("new_tensor", "new_zeros", "new_ones", "new_empty", "new_full", "new_empty_strided")


# ---- autocast -------------------------------------------------------------------------
_RealAutocast = torch.amp.autocast_mode.autocast


class autocast(_RealAutocast):  # noqa: N801 - the name torch gives it
    """torch.autocast as on a GPU: ``cuda`` autocasts on the CPU with cuda's default dtype, and
    an autocast for the device the program does not use (``"cpu"`` around what the program
    put on CUDA, ``"cuda"`` around a CPU-only program) casts nothing, as on a GPU machine."""

    def __init__(self, device_type: str, dtype=None, enabled: bool = True, cache_enabled=None):
        self.emulated_device = device_type if STATE.cuda and device_type in ("cuda", "cpu") else None
        self.redirected = device_type == "cuda" and STATE.cuda
        if self.redirected:
            device_type = "cpu"
            if dtype is None:
                dtype = torch.float16  # torch.get_autocast_dtype("cuda") on a GPU
        if not STATE.autocast:
            enabled = False
        super().__init__(device_type, dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)
        self._idle = []  # per (possibly nested) entry: whether it was for the other device

    def __enter__(self):
        idle = self.emulated_device is not None and self.emulated_device != program_device()
        self._idle.append(idle)
        if idle:
            STATE.idle_autocasts.append((self.emulated_device, self._enabled, self.fast_dtype))
            return self
        if self._enabled:
            STATE.autocast_entered = True
        STATE.cuda_autocast_depth += self.redirected
        return _passthrough(super().__enter__)

    def __exit__(self, *exc):
        if self._idle.pop():
            STATE.idle_autocasts.pop()
            return False
        STATE.cuda_autocast_depth -= self.redirected
        return _passthrough(super().__exit__, *exc)


def _passthrough(method, *args):
    """torch's autocast saves, sets and restores the real CPU state through torch.* functions,
    which answer for the program's view of both devices: let them reach the real state."""
    outer, STATE.passthrough = STATE.passthrough, True
    try:
        return method(*args)
    finally:
        STATE.passthrough = outer


class cuda_autocast(autocast):  # noqa: N801
    """torch.cuda.amp.autocast (deprecated spelling, still common)."""

    def __init__(self, enabled: bool = True, dtype=torch.float16, cache_enabled: bool = True):
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class cpu_autocast(autocast):  # noqa: N801
    """torch.cpu.amp.autocast."""

    def __init__(self, enabled: bool = True, dtype=torch.bfloat16, cache_enabled: bool = True):
        super().__init__("cpu", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


def _autocast_device(device_type=None) -> str:
    if (device_type is None or device_type == "cuda") and STATE.cuda:
        return "cpu"
    return device_type


def _idle_autocast(device_type=None):
    """For a device the program does not use: its innermost autocast (device, enabled, dtype),
    None outside any; False when the device is the program's own (the real state answers)."""
    device = device_type or "cuda"
    if not STATE.cuda or device not in ("cuda", "cpu") or device == program_device():
        return False
    return next((entry for entry in reversed(STATE.idle_autocasts) if entry[0] == device), None)


def _is_autocast_enabled(device_type=None) -> bool:
    if STATE.passthrough:
        return _real["is_autocast_enabled"](device_type)
    idle = _idle_autocast(device_type)
    if idle is not False:
        return bool(idle and idle[1])
    device = _autocast_device(device_type)
    if device != device_type and not STATE.cuda_autocast_depth:
        return False  # asked about "cuda" outside any redirected cuda autocast
    return _real["is_autocast_enabled"](device) if device else _real["is_autocast_enabled"]()


def _set_autocast_enabled(*args) -> None:
    """torch.set_autocast_enabled([device,] enabled): the low-level switch, neutralised too."""
    if STATE.passthrough:
        return _real["set_autocast_enabled"](*args)
    *device, enabled = args
    if _idle_autocast(device[0] if device else None) is not False:
        return  # the other device's switch: the program's ops do not see it
    device = [_autocast_device(device[0])] if device else []
    if enabled:
        if not STATE.autocast:
            enabled = False
        else:
            STATE.autocast_entered = True
    _real["set_autocast_enabled"](*device, enabled)


def _get_autocast_dtype(device_type: str):
    if STATE.passthrough:
        return _real["get_autocast_dtype"](device_type)
    idle = _idle_autocast(device_type)
    if idle is not False:
        return idle[2] if idle else (torch.float16 if device_type == "cuda" else torch.bfloat16)
    device = _autocast_device(device_type)
    if device != device_type and not STATE.cuda_autocast_depth:
        return torch.float16  # cuda's default autocast dtype
    return _real["get_autocast_dtype"](device)


_RealGradScaler = torch.amp.GradScaler


class GradScaler(_RealGradScaler):
    """torch.amp.GradScaler("cuda") scales on the CPU (as on a GPU) when CUDA is redirected."""

    def __init__(self, device: str = "cuda", *args, **kwargs):
        super().__init__("cpu" if device == "cuda" and STATE.cuda else device, *args, **kwargs)


class CudaGradScaler(GradScaler):
    def __init__(self, *args, **kwargs):
        super().__init__("cuda", *args, **kwargs)


# ---- torch.cuda -----------------------------------------------------------------------
def _cuda_answer(name: str, value: Any):
    real = getattr(torch.cuda, name, None)

    def answer(*args, **kwargs):
        if STATE.cuda:
            return value() if callable(value) else value
        if real is None:
            raise AssertionError("Torch not compiled with CUDA enabled")
        return real(*args, **kwargs)

    answer.__name__ = name
    return answer


class _Properties:
    name = "NVIDIA oracle GPU (CPU)"
    major, minor = 8, 0
    total_memory = 80 * 2**30
    multi_processor_count = 108


_CUDA_ANSWERS = {
    "is_available": True,
    "is_bf16_supported": True,
    "device_count": 1,
    "current_device": 0,
    "is_initialized": True,
    "init": None,
    "synchronize": None,
    "empty_cache": None,
    "manual_seed": None,
    "manual_seed_all": None,
    "seed": None,
    "set_device": None,
    "ipc_collect": None,
    "reset_peak_memory_stats": None,
    "reset_max_memory_allocated": None,
    "memory_allocated": 0,
    "max_memory_allocated": 0,
    "memory_reserved": 0,
    "max_memory_reserved": 0,
    "mem_get_info": (70 * 2**30, 80 * 2**30),
    "get_device_name": _Properties.name,
    "get_device_capability": (8, 0),
    "get_device_properties": _Properties,
    "memory_summary": "",
}


class _CudaDevice(torch.cuda.device):
    """torch.cuda.device(i) (a class: libraries test isinstance against it): with CUDA
    redirected, a context that switches nothing."""

    def __init__(self, device=None):
        if STATE.cuda:
            self.idx, self.prev_idx = 0, 0
        else:
            super().__init__(device)

    def __enter__(self):
        return self if STATE.cuda else super().__enter__()

    def __exit__(self, *exc):
        return False if STATE.cuda else super().__exit__(*exc)


def _set_default_device(device) -> None:
    if STATE.cuda and _is_cuda(device):
        STATE.program_cuda = True
        device = _CPU
    _real["set_default_device"](device)


def _compile(model=None, **kwargs):
    """torch.compile returns the model as it is: eager runs raise the same dtype errors, and
    compiling would cost seconds per program (inductor on the CPU)."""
    if model is None:
        return lambda fn: fn
    return model


# ---- torch.hub ------------------------------------------------------------------------
def hub_load(repo_or_dir: str, model: str, *args, **kwargs):
    from _bf16_oracle import hub  # the stand-ins' registry (on sys.path in the worker only)

    return hub.load(repo_or_dir, model, *args, **kwargs)


def _no_download(url, *args, **kwargs):
    raise RuntimeError(f"oracle: nothing is downloaded ({url})")


def install() -> None:
    """Applies every patch (call once, in the worker, before forking)."""
    torch.set_num_threads(1)
    _real["is_autocast_enabled"] = torch.is_autocast_enabled
    _real["get_autocast_dtype"] = torch.get_autocast_dtype
    _real["set_autocast_enabled"] = torch.set_autocast_enabled
    torch.autocast = autocast
    torch.amp.autocast = autocast
    torch.amp.autocast_mode.autocast = autocast
    torch.cuda.amp.autocast = cuda_autocast
    torch.cpu.amp.autocast = cpu_autocast
    torch.is_autocast_enabled = _is_autocast_enabled
    torch.get_autocast_dtype = _get_autocast_dtype
    torch.set_autocast_enabled = _set_autocast_enabled
    torch.get_autocast_gpu_dtype = lambda: _get_autocast_dtype("cuda")
    torch.amp.GradScaler = GradScaler
    torch.cuda.amp.GradScaler = CudaGradScaler
    for name, value in _CUDA_ANSWERS.items():
        setattr(torch.cuda, name, _cuda_answer(name, value))
    torch.cuda.device = _CudaDevice
    torch.compile = _compile
    _real["set_default_device"] = torch.set_default_device
    torch.set_default_device = _set_default_device
    torch.hub.load = hub_load
    torch.hub.load_state_dict_from_url = _no_download
    torch.hub.download_url_to_file = _no_download
    for name in _FACTORIES:
        if hasattr(torch, name):
            setattr(torch, name, _with_cpu_device(getattr(torch, name)))
    for name in _TENSOR_FACTORIES:
        setattr(torch.Tensor, name, _with_cpu_device(getattr(torch.Tensor, name)))
    for name, replacement in (("to", _tensor_to), ("cuda", _tensor_cuda), ("pin_memory", _tensor_pin_memory),
                              ("type", _tensor_type)):
        _real[f"Tensor.{name}"] = getattr(torch.Tensor, name)
        setattr(torch.Tensor, name, functools.wraps(_real[f"Tensor.{name}"])(replacement))
