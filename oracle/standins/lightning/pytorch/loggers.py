"""Lightning loggers (no-ops in the oracle)."""
from _bf16_oracle.lightning_core import LOGGERS as _LOGGERS

globals().update(_LOGGERS)
