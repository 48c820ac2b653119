from .backbone import FeatureExtractor
