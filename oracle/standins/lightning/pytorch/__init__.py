"""Stand-in for pytorch_lightning / lightning.pytorch (oracle worker only); see
_bf16_oracle/lightning_core.py for how precision is applied."""
from _bf16_oracle.lightning_core import (  # noqa: F401
    LightningDataModule, LightningModule, Trainer, seed_everything,
)
from _bf16_oracle.lightning_core import CALLBACKS as _CALLBACKS

Callback = _CALLBACKS["Callback"]
__version__ = "2.5.0+oracle"
