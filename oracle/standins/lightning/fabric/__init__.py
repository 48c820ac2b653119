"""lightning.fabric stand-in: Fabric(precision=...).setup / autocast / backward."""
from _bf16_oracle.lightning_core import Fabric, seed_everything  # noqa: F401
