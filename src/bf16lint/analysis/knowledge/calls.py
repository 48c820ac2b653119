"""Library calls as data: which names build tensors, pass their argument through, build
namespaces or autocast contexts, end the program; what external names look like data."""
from __future__ import annotations

import re

EXIT_CALLS = {"sys.exit", "exit", "quit", "os._exit", "os.abort"}
TENSOR_CONSTRUCTORS = {
    "tensor", "as_tensor", "randn", "rand", "zeros", "ones", "empty", "full", "arange",
    "linspace", "randint", "normal", "eye", "from_numpy", "randn_like", "rand_like",
    "zeros_like", "ones_like", "empty_like", "full_like",
}
# Methods of a tensor that do not return a tensor.
TENSOR_NON_TENSOR_METHODS = {
    "item", "tolist", "numpy", "size", "dim", "numel", "element_size", "data_ptr",
    "is_contiguous", "is_floating_point", "get_device", "backward", "register_hook",
    "stride", "storage_offset", "nelement", "ndimension", "__len__", "any", "all",
}
TENSOR_NON_TENSOR_ATTRS = {
    "shape", "device", "ndim", "is_cuda", "requires_grad", "grad_fn", "layout",
    "is_leaf", "names", "itemsize", "nbytes", "is_sparse",
}
PASS_THROUGH_CALLS = {
    "iter", "tqdm", "tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm", "trange",
    "copy.copy", "torch.compile", "torch.nn.DataParallel",
    "torch.nn.parallel.DistributedDataParallel", "torch.nn.parallel.DataParallel",
    "DistributedDataParallel", "DataParallel", "DDP", "torch.jit.script", "itertools.islice",
    "islice", "itertools.cycle", "cycle", "accelerate.Accelerator.prepare",
    # SyncBatchNorm conversion keeps the module's weights and dtype (DDP setups)
    "torch.nn.SyncBatchNorm.convert_sync_batchnorm", "nn.SyncBatchNorm.convert_sync_batchnorm",
    "SyncBatchNorm.convert_sync_batchnorm",
    # a subset of a dataset yields the dataset's own items
    "torch.utils.data.Subset", "torch.utils.data.dataset.Subset", "data.Subset", "Subset",
}
# random_split(dataset, lengths): a list of subsets, each yielding the dataset's items
SPLIT_CALLS = {"torch.utils.data.random_split", "torch.utils.data.dataset.random_split", "data.random_split",
               "random_split"}
NAMESPACE_CALLS = {
    "types.SimpleNamespace", "SimpleNamespace", "argparse.Namespace", "Namespace",
    "easydict.EasyDict", "EasyDict", "edict", "dict", "omegaconf.OmegaConf.create",
    "OmegaConf.create", "ml_collections.ConfigDict", "ConfigDict", "Box", "munch.Munch",
}
AUTOCAST_CALLS = {
    "torch.autocast": None,
    "torch.amp.autocast": None,
    "torch.amp.autocast_mode.autocast": None,
    "torch.cuda.amp.autocast": "cuda",
    "torch.cpu.amp.autocast": "cpu",
    "autocast": None,
}
# Names of external callables that build data (datasets, caches, loaders, collators).
DATA_SOURCE_NAME = re.compile(r"data|set|cache|loader|collat|batch|feature|image|stream", re.I)
# Accelerator(mixed_precision=...) / Fabric(precision=...) values that autocast the forward.
FRAMEWORK_AUTOCAST_MODES = {"bf16", "fp16", "bf16-mixed", "16-mixed"}
# Imported names under other roots may be data (`from helpers import val_batch`).
KNOWN_MODULE_ROOTS = {"torch", "numpy", "np", "torchvision", "timm", "transformers", "open_clip", "PIL", "cv2", "F", "nn"}
# Methods that, called on a name nobody assigned, say it is a tensor being cast or moved.
UNBOUND_TENSOR_METHODS = {"to", "type", "bfloat16", "float", "half", "cuda", "cpu", "contiguous"}
# torch.nn classes that are not modules: a user class deriving from them has no Module.to.
_NN_NON_MODULES = {"Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer"}
# Library nn.Module subclasses whose to/cuda/eval/... overrides forward to nn.Module's.
_LIBRARY_MODULE_BASES = {"LightningModule", "ModelMixin", "PreTrainedModel"}


def is_module_class(qualified: str) -> bool:
    """Whether an imported base class is torch.nn.Module or behaves as it for casts and moves."""
    root, _, last = qualified.rpartition(".")
    if root in ("torch.nn", "nn", "torch.nn.modules.module"):
        return last[:1].isupper() and last not in _NN_NON_MODULES
    return last in _LIBRARY_MODULE_BASES


BUILTIN_NAMES = set(dir(__builtins__)) if isinstance(__builtins__, dict) is False else set(__builtins__)
