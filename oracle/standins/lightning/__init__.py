"""Stand-in for the ``lightning`` package (oracle worker only): ``lightning.pytorch`` (Trainer,
LightningModule, ...) and ``lightning.fabric`` (Fabric), also at the top level."""
from lightning import fabric, pytorch  # noqa: F401
from lightning.fabric import Fabric  # noqa: F401
from lightning.pytorch import (  # noqa: F401
    Callback, LightningDataModule, LightningModule, Trainer, seed_everything,
)

__version__ = "2.5.0+oracle"
