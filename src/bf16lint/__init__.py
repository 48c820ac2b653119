"""bf16lint: find bfloat16 tensors fed to float32 vision backbones, and fix them."""
__version__ = "0.1.0"
