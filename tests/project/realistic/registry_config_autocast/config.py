"""Experiment settings (imported as a module, as in many research repositories)."""
import torch

BACKBONE = "convnext_tiny"
NUM_CLASSES = 10
BATCH_SIZE = 2
LR = 1e-4
PRECISION = "bf16"
DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}
DTYPE = DTYPES[PRECISION]
