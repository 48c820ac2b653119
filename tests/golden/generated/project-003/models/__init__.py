from .backbone import Encoder
