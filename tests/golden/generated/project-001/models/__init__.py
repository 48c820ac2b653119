from .backbone import create_encoder
