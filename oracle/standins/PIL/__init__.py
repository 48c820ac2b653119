"""Stand-in for Pillow (oracle worker only; Pillow is not installed on this machine):
``Image.open`` gives a synthetic RGB image, and the few operations image pipelines use."""
__version__ = "10.0.oracle"
