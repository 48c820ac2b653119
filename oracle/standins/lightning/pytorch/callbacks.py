"""Lightning callbacks (no-ops in the oracle)."""
from _bf16_oracle.lightning_core import CALLBACKS as _CALLBACKS

globals().update(_CALLBACKS)
