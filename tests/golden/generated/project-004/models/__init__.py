from .backbone import DinoClassifier
