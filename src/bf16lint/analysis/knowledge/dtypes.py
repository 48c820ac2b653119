"""torch dtypes as data: how each spelling reads in the analysis, and the facts a dtype
predicate asks about (`is_floating_point`, `element_size`, `itemsize`)."""
from __future__ import annotations

BF16 = "bf16"
FP32 = "fp32"
FP16 = "fp16"
OTHER = "other"  # float64, integer, or a dtype chosen to match a model

# Qualified constant -> (analysis dtype, is floating point, bytes per element).
TORCH_DTYPES = {
    "torch.bfloat16": (BF16, True, 2),
    "torch.float32": (FP32, True, 4),
    "torch.float": (FP32, True, 4),
    "torch.float16": (FP16, True, 2),
    "torch.half": (FP16, True, 2),
    "torch.float64": (OTHER, True, 8),
    "torch.double": (OTHER, True, 8),
    "torch.uint8": (OTHER, False, 1),
    "torch.int8": (OTHER, False, 1),
    "torch.int16": (OTHER, False, 2),
    "torch.short": (OTHER, False, 2),
    "torch.int64": (OTHER, False, 8),
    "torch.long": (OTHER, False, 8),
    "torch.int32": (OTHER, False, 4),
    "torch.int": (OTHER, False, 4),
    "torch.bool": (OTHER, False, 1),
}
DTYPE_CONSTANTS = {name: facts[0] for name, facts in TORCH_DTYPES.items()}

# Strings that name a dtype (`torch_dtype="bfloat16"`, `precision="bf16"`).
DTYPE_STRINGS = {
    "bfloat16": BF16,
    "bf16": BF16,
    "torch.bfloat16": BF16,
    "float32": FP32,
    "fp32": FP32,
    "float": FP32,
    "float16": FP16,
    "fp16": FP16,
    "half": FP16,
}

# Facts of the dtypes the analysis tracks by class (an exact constant name is looked up
# in TORCH_DTYPES instead): is floating point, bytes per element.
CLASS_FACTS = {BF16: (True, 2), FP32: (True, 4), FP16: (True, 2)}


def facts(dtype: str, name=None):
    """(is floating point, element size) of a dtype, or None when it is not known."""
    if name in TORCH_DTYPES:
        return TORCH_DTYPES[name][1:]
    return CLASS_FACTS.get(dtype)


_ALIASES = {"torch.float": "torch.float32", "torch.half": "torch.float16", "torch.double": "torch.float64",
            "torch.long": "torch.int64", "torch.int": "torch.int32", "torch.short": "torch.int16"}


def canonical(name):
    """One spelling per dtype (`torch.long` is `torch.int64`)."""
    return _ALIASES.get(name, name)
