"""The Lightning stand-in shared by ``lightning`` and ``pytorch_lightning``. Precision plugins
as Lightning's: "bf16-mixed"/"16-mixed" run steps (and Fabric forwards) under
``torch.autocast(device, dtype)``; "bf16-true"/"16-true" cast the module and convert the
floating tensors of each batch to that dtype; "32"/"32-true" do neither. The Trainer runs the
sanity check (2 validation batches), then max_epochs of training (+ validation) on the
loaders it is given, moving batches to the device with their dtypes kept."""
from __future__ import annotations

import contextlib
import random
from typing import Any, Dict, Iterable, List, Optional

import torch
from torch import nn

from _bf16_oracle.moving import DeviceLoader, apply_to_tensors, floats_to, to_device

_MIXED = {"bf16-mixed": torch.bfloat16, "bf16": torch.bfloat16, "16-mixed": torch.float16, "16": torch.float16}
_TRUE = {"bf16-true": torch.bfloat16, "16-true": torch.float16, "64-true": torch.float64, "64": torch.float64}
_FULL = {"32", "32-true"}


class Precision:
    def __init__(self, precision: Any, device: torch.device):
        self.precision = str(precision)
        if self.precision not in _MIXED and self.precision not in _TRUE and self.precision not in _FULL:
            raise ValueError(f"Precision {precision!r} is invalid. Allowed precision values: "
                             "('transformer-engine', '16-true', '16-mixed', 'bf16-true', 'bf16-mixed', '32-true', "
                             "'64-true', 64, 32, 16, '64', '32', '16', 'bf16')")
        self.device = device

    def forward_context(self) -> Any:
        if self.precision in _MIXED:
            return torch.autocast(self.device.type, dtype=_MIXED[self.precision])
        return contextlib.nullcontext()

    def convert_module(self, module: nn.Module) -> nn.Module:
        return module.to(_TRUE[self.precision]) if self.precision in _TRUE else module

    def convert_input(self, data: Any) -> Any:
        return floats_to(data, _TRUE[self.precision]) if self.precision in _TRUE else data

    def convert_output(self, data: Any) -> Any:
        if self.precision in _MIXED or self.precision in _TRUE:
            return floats_to(data, torch.get_default_dtype())
        return data


def _device(accelerator: str) -> torch.device:
    if accelerator in ("gpu", "cuda") or (accelerator == "auto" and torch.cuda.is_available()):
        return torch.device("cuda", 0)
    return torch.device("cpu")


def seed_everything(seed: Optional[int] = None, workers: bool = False, **kwargs: Any) -> int:
    seed = 0 if seed is None else int(seed)
    random.seed(seed)
    torch.manual_seed(seed)
    return seed


class AttributeDict(dict):
    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value


class LightningModule(nn.Module):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__()
        self.trainer: Any = None
        self.automatic_optimization = True
        self.current_epoch = 0
        self.global_step = 0
        self._optimizers: List[Any] = []
        self._hparams = AttributeDict()

    @property
    def hparams(self) -> AttributeDict:
        return self._hparams

    @property
    def device(self) -> torch.device:
        for tensor in list(self.parameters()) + list(self.buffers()):
            return tensor.device
        return torch.device("cpu")

    @property
    def dtype(self) -> torch.dtype:
        for tensor in self.parameters():
            return tensor.dtype
        return torch.get_default_dtype()

    def save_hyperparameters(self, *args: Any, ignore: Any = None, frame: Any = None, **kwargs: Any) -> None:
        """As Lightning: dicts are stored; names (or no argument at all) pick the calling
        ``__init__``'s arguments from its frame."""
        import inspect

        caller = frame or inspect.currentframe().f_back
        init_args = {k: v for k, v in caller.f_locals.items() if k not in ("self", "__class__")
                     and not k.startswith("_")}
        ignored = {ignore} if isinstance(ignore, str) else set(ignore or ())
        names = [arg for arg in args if isinstance(arg, str)]
        for arg in args:
            if isinstance(arg, dict):
                self._hparams.update(arg)
        if not args or names:
            chosen = names or list(init_args)
            self._hparams.update({k: init_args[k] for k in chosen if k in init_args and k not in ignored})

    def log(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log_dict(self, *args: Any, **kwargs: Any) -> None:
        return None

    def print(self, *args: Any, **kwargs: Any) -> None:
        print(*args, **kwargs)

    def optimizers(self, use_pl_optimizer: bool = True) -> Any:
        return self._optimizers[0] if len(self._optimizers) == 1 else self._optimizers

    def lr_schedulers(self) -> Any:
        return None

    def manual_backward(self, loss: torch.Tensor, *args: Any, **kwargs: Any) -> None:
        loss.backward(*args, **kwargs)

    def configure_optimizers(self) -> Any:
        return None

    def transfer_batch_to_device(self, batch: Any, device: torch.device, dataloader_idx: int) -> Any:
        return to_device(batch, device)

    def on_before_batch_transfer(self, batch: Any, dataloader_idx: int) -> Any:
        return batch

    def on_after_batch_transfer(self, batch: Any, dataloader_idx: int) -> Any:
        return batch

    def predict_step(self, batch: Any, batch_idx: int = 0, dataloader_idx: int = 0) -> Any:
        return self(batch)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("on_") and not name.startswith("on_before_batch") and name != "on_after_batch_transfer":
            return lambda *args, **kwargs: None  # every other hook: a no-op unless the program defines it
        return super().__getattr__(name)


class LightningDataModule:
    def __init__(self, *args: Any, **kwargs: Any):
        self.trainer: Any = None

    def prepare_data(self) -> None:
        return None

    def setup(self, stage: Optional[str] = None) -> None:
        return None

    def train_dataloader(self) -> Any:
        return None

    def val_dataloader(self) -> Any:
        return None

    def test_dataloader(self) -> Any:
        return None

    def predict_dataloader(self) -> Any:
        return None

    def save_hyperparameters(self, *args: Any, **kwargs: Any) -> None:
        return None


def _optimizers_of(configured: Any) -> List[Any]:
    if configured is None:
        return []
    if isinstance(configured, torch.optim.Optimizer):
        return [configured]
    if isinstance(configured, dict):
        return [configured["optimizer"]]
    if isinstance(configured, (list, tuple)):
        if len(configured) == 2 and isinstance(configured[0], (list, tuple)):
            return list(configured[0])
        return [item["optimizer"] if isinstance(item, dict) else item for item in configured
                if isinstance(item, (torch.optim.Optimizer, dict))]
    return []


def _loss_of(output: Any) -> Optional[torch.Tensor]:
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, dict):
        return output.get("loss")
    return None


class Trainer:
    def __init__(self, accelerator: str = "auto", devices: Any = "auto", precision: Any = "32-true",
                 max_epochs: Optional[int] = None, max_steps: int = -1, limit_train_batches: Any = None,
                 limit_val_batches: Any = None, limit_test_batches: Any = None, limit_predict_batches: Any = None,
                 fast_dev_run: Any = False, num_sanity_val_steps: Optional[int] = None, gradient_clip_val: Any = None,
                 accumulate_grad_batches: int = 1, **kwargs: Any):
        self.device = _device(accelerator)
        self.precision = str(precision)
        self.plugin = Precision(self.precision, self.device)
        self.fast_dev_run = int(fast_dev_run) if fast_dev_run else 0
        self.max_epochs = 1 if self.fast_dev_run else (max_epochs if max_epochs is not None else (1000 if max_steps == -1 else -1))
        self.max_steps = self.fast_dev_run or max_steps
        self.limits = {"train": limit_train_batches, "val": limit_val_batches, "test": limit_test_batches,
                       "predict": limit_predict_batches}
        self.num_sanity_val_steps = 0 if self.fast_dev_run else (2 if num_sanity_val_steps is None else num_sanity_val_steps)
        self.gradient_clip_val = gradient_clip_val
        self.callback_metrics: Dict[str, Any] = {}
        self.logged_metrics: Dict[str, Any] = {}
        self.global_step = 0
        self.current_epoch = 0
        self.lightning_module: Optional[LightningModule] = None
        self.is_global_zero = True
        self.world_size = 1

    def _limit(self, stage: str, loader: Any) -> Optional[int]:
        if self.fast_dev_run:
            return self.fast_dev_run
        limit = self.limits[stage]
        if limit is None:
            return None
        if isinstance(limit, float) and limit <= 1.0:
            return max(int(len(loader) * limit), 1) if hasattr(loader, "__len__") else None
        return int(limit)

    def _batches(self, stage: str, model: LightningModule, loader: Any, limit: Optional[int] = None) -> Iterable:
        limit = self._limit(stage, loader) if limit is None else limit
        for index, batch in enumerate(loader):
            if limit is not None and index >= limit:
                return
            batch = model.on_before_batch_transfer(batch, 0)
            batch = model.transfer_batch_to_device(batch, self.device, 0)
            batch = model.on_after_batch_transfer(batch, 0)
            yield index, self.plugin.convert_input(batch)

    def _setup(self, model: LightningModule) -> None:
        model.trainer = self
        self.lightning_module = model
        self.plugin.convert_module(model)
        model.to(self.device)

    def _loaders(self, model: LightningModule, stage: str, given: Any, datamodule: Any) -> Any:
        if given is not None:
            return given
        source = datamodule if datamodule is not None else model
        if datamodule is not None:
            datamodule.trainer = self
            datamodule.prepare_data()
            datamodule.setup({"train": "fit", "val": "fit"}.get(stage, stage))
        method = getattr(source, f"{stage}_dataloader", None)
        return method() if method is not None else None

    def _evaluate(self, model: LightningModule, loader: Any, step: str, stage: str, limit: Optional[int] = None) -> List[Any]:
        outputs = []
        if loader is None or not hasattr(model, step):
            return outputs
        loaders = loader if isinstance(loader, (list, tuple)) else [loader]
        model.eval()
        with torch.no_grad():
            for single in loaders:
                for index, batch in self._batches(stage, model, single, limit):
                    with self.plugin.forward_context():
                        outputs.append(getattr(model, step)(batch, index))
        return outputs

    def fit(self, model: LightningModule, train_dataloaders: Any = None, val_dataloaders: Any = None,
            datamodule: Any = None, ckpt_path: Any = None) -> None:
        self._setup(model)
        train_loader = self._loaders(model, "train", train_dataloaders, datamodule)
        val_loader = self._loaders(model, "val", val_dataloaders, datamodule)
        optimizers = _optimizers_of(model.configure_optimizers())
        model._optimizers = optimizers
        model.on_fit_start()
        if self.num_sanity_val_steps:
            self._evaluate(model, val_loader, "validation_step", "val", limit=self.num_sanity_val_steps)
        model.on_train_start()
        epoch = 0
        while (self.max_epochs == -1 or epoch < self.max_epochs) and not self._done():
            self.current_epoch = model.current_epoch = epoch
            model.train()
            model.on_train_epoch_start()
            for index, batch in self._batches("train", model, train_loader):
                if self._done():
                    break
                with self.plugin.forward_context():
                    output = model.training_step(batch, index)
                loss = _loss_of(output)
                if model.automatic_optimization and loss is not None:
                    loss.backward()
                    if self.gradient_clip_val:
                        torch.nn.utils.clip_grad_norm_(model.parameters(), self.gradient_clip_val)
                    for optimizer in optimizers:
                        optimizer.step()
                        optimizer.zero_grad()
                self.global_step = model.global_step = self.global_step + 1
            model.on_train_epoch_end()
            self._evaluate(model, val_loader, "validation_step", "val")
            model.on_validation_epoch_end()
            epoch += 1
        model.on_train_end()
        model.on_fit_end()

    def _done(self) -> bool:
        return self.max_steps not in (-1, None, 0) and self.global_step >= self.max_steps

    def validate(self, model: Optional[LightningModule] = None, dataloaders: Any = None, datamodule: Any = None,
                 **kwargs: Any) -> List[Dict[str, Any]]:
        model = model or self.lightning_module
        self._setup(model)
        self._evaluate(model, self._loaders(model, "val", dataloaders, datamodule), "validation_step", "val")
        return [dict(self.callback_metrics)]

    def test(self, model: Optional[LightningModule] = None, dataloaders: Any = None, datamodule: Any = None,
             **kwargs: Any) -> List[Dict[str, Any]]:
        model = model or self.lightning_module
        self._setup(model)
        self._evaluate(model, self._loaders(model, "test", dataloaders, datamodule), "test_step", "test")
        return [dict(self.callback_metrics)]

    def predict(self, model: Optional[LightningModule] = None, dataloaders: Any = None, datamodule: Any = None,
                **kwargs: Any) -> List[Any]:
        model = model or self.lightning_module
        self._setup(model)
        outputs = self._evaluate(model, self._loaders(model, "predict", dataloaders, datamodule), "predict_step", "predict")
        return [self.plugin.convert_output(output) for output in outputs]

    def save_checkpoint(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Callback:
    def __init__(self, *args: Any, **kwargs: Any):
        self.best_model_path = ""


class _Logger(_Callback):
    def log_hyperparams(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log_metrics(self, *args: Any, **kwargs: Any) -> None:
        return None


CALLBACKS = {name: type(name, (_Callback,), {}) for name in (
    "Callback", "ModelCheckpoint", "EarlyStopping", "LearningRateMonitor", "TQDMProgressBar", "RichProgressBar",
    "ModelSummary", "StochasticWeightAveraging", "GradientAccumulationScheduler", "BackboneFinetuning")}
LOGGERS = {name: type(name, (_Logger,), {}) for name in (
    "Logger", "TensorBoardLogger", "CSVLogger", "WandbLogger", "MLFlowLogger")}


class _FabricModule(nn.Module):
    """Fabric's wrapper: converts inputs and runs forward under the precision's context."""

    def __init__(self, module: nn.Module, plugin: Precision):
        super().__init__()
        self._forward_module = self.module = module
        self._plugin = plugin

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = self._plugin.convert_input((args, kwargs))
        with self._plugin.forward_context():
            output = self._forward_module(*args, **kwargs)
        return self._plugin.convert_output(output)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self._forward_module, name)


class Fabric:
    def __init__(self, accelerator: str = "auto", devices: Any = "auto", precision: Any = "32-true", **kwargs: Any):
        self.device = _device(accelerator)
        self._precision = Precision(str(precision), self.device)
        self.global_rank = self.local_rank = self.node_rank = 0
        self.world_size = 1
        self.is_global_zero = True

    def launch(self, function: Any = None, *args: Any, **kwargs: Any) -> Any:
        return function(self, *args, **kwargs) if function is not None else None

    def setup_module(self, module: nn.Module, **kwargs: Any) -> _FabricModule:
        self._precision.convert_module(module)
        return _FabricModule(module.to(self.device), self._precision)

    def setup_optimizers(self, *optimizers: Any) -> Any:
        return optimizers[0] if len(optimizers) == 1 else optimizers

    def setup(self, module: nn.Module, *optimizers: Any, **kwargs: Any) -> Any:
        wrapped = self.setup_module(module)
        return (wrapped, *optimizers) if optimizers else wrapped

    def setup_dataloaders(self, *loaders: Any, **kwargs: Any) -> Any:
        wrapped = [DeviceLoader(loader, self.device) for loader in loaders]
        return wrapped[0] if len(wrapped) == 1 else wrapped

    def autocast(self) -> Any:
        return self._precision.forward_context()

    def backward(self, tensor: torch.Tensor, *args: Any, **kwargs: Any) -> None:
        tensor.backward(*args, **kwargs)

    def to_device(self, obj: Any) -> Any:
        return obj.to(self.device) if isinstance(obj, nn.Module) else to_device(obj, self.device)

    def clip_gradients(self, module: nn.Module, optimizer: Any, max_norm: Any = None, **kwargs: Any) -> Any:
        return torch.nn.utils.clip_grad_norm_(module.parameters(), max_norm) if max_norm else None

    def seed_everything(self, seed: Optional[int] = None, **kwargs: Any) -> int:
        return seed_everything(seed)

    def print(self, *args: Any, **kwargs: Any) -> None:
        print(*args, **kwargs)

    def barrier(self, *args: Any, **kwargs: Any) -> None:
        return None

    def all_gather(self, data: Any, **kwargs: Any) -> Any:
        return data

    def save(self, *args: Any, **kwargs: Any) -> None:
        return None

    def load(self, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        return {}

    def log(self, *args: Any, **kwargs: Any) -> None:
        return None

    log_dict = log

    @contextlib.contextmanager
    def no_backward_sync(self, *args: Any, **kwargs: Any):
        yield

    @contextlib.contextmanager
    def init_module(self, empty_init: Any = None):
        yield


__all__ = ["AttributeDict", "CALLBACKS", "Fabric", "LOGGERS", "LightningDataModule", "LightningModule",
           "Trainer", "apply_to_tensors", "seed_everything"]
