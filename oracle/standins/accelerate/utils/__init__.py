"""accelerate.utils stand-in."""
from accelerate import GradientAccumulationPlugin, send_to_device, set_seed  # noqa: F401


class ProjectConfiguration:
    def __init__(self, *args, **kwargs):
        self.__dict__.update(kwargs)


class DistributedDataParallelKwargs(ProjectConfiguration):
    pass


class AutocastKwargs(ProjectConfiguration):
    pass
