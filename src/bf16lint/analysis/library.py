"""Calls into libraries, resolved by qualified name: torch functions, backbone builders,
autocast, data loaders, argparse, dataclasses, transforms, copy. The tables they read
are in knowledge/; this is where a table entry becomes a value."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional

from . import configvalues, transforms
from . import knowledge as kb
from .knowledge import torchvision as tv
from .knowledge.calls import (
    AUTOCAST_CALLS,
    BUILTIN_NAMES,
    DATA_SOURCE_NAME,
    EXIT_CALLS,
    FRAMEWORK_AUTOCAST_MODES,
    NAMESPACE_CALLS,
    PASS_THROUGH_CALLS,
    SPLIT_CALLS,
    TENSOR_CONSTRUCTORS,
)
from .knowledge.dtypes import DTYPE_STRINGS
from .paths import PathEnd
from .values import (
    BF16,
    FP32,
    Choice,
    OTHER,
    UNKNOWN,
    UNKNOWN_DTYPE,
    Autocast,
    Const,
    Container,
    Device,
    DType,
    FunctionRef,
    Instance,
    Iterable,
    Model,
    ModuleRef,
    Origin,
    Super,
    Tensor,
    Value,
    deep_copy,
    device_kind,
    is_device_string,
)


LIGHTNING_ROOTS = {"lightning", "pytorch_lightning", "pl", "L", "Trainer"}
# trainer method -> (step hook, the module's own loader method, keyword naming the loader)
LIGHTNING_LOOPS = {
    "fit": (("training_step", "train_dataloader", ("train_dataloaders",)),
            ("validation_step", "val_dataloader", ("val_dataloaders",))),
    "validate": (("validation_step", "val_dataloader", ("dataloaders",)),),
    "test": (("test_step", "test_dataloader", ("dataloaders",)),),
    "predict": (("predict_step", "predict_dataloader", ("dataloaders",)),),
}


@dataclass(eq=False)
class LightningTrainer(Value):
    """lightning.Trainer(precision=...): the autocast its loops run the step hooks under."""

    autocast: Optional[Autocast]


@dataclass(eq=False)
class ModelParameter(Value):
    """A parameter of a model (or of a module holding backbones), from `.parameters()`:
    `p.data = p.data.to(torch.bfloat16)` over all of them casts the model."""

    owner: Value


class LibraryCalls:
    """Mixed into the Interpreter: calls whose callee is a qualified library name."""

    # ------------------------------------------------------ qualified callables
    def call_qualified(self, qualified, node, args, kwargs, frame):
        last = qualified.rsplit(".", 1)[-1]
        if qualified in EXIT_CALLS:
            raise PathEnd()  # the program ends here on this path
        model = self.build_model(qualified, node, args, kwargs, frame)
        if model is not None:
            return model
        if qualified.endswith("float32_inputs") and args:
            # bf16lint.runtime.float32_inputs: a pre-hook casts inputs to the weights' dtype.
            if isinstance(args[0], Model):
                args[0].self_casting = True
            return args[0]
        if self.is_autocast_name(qualified):
            return self.make_autocast(qualified, node, args, kwargs, frame)
        if qualified in ("torch.set_default_dtype",) and args and isinstance(args[0], DType):
            self.default_dtype = args[0].dtype
            return UNKNOWN
        if qualified == "torch.device":
            return self.make_device(args[0] if args else kwargs.get("type", UNKNOWN))
        if last == "Trainer" and qualified.split(".", 1)[0] in LIGHTNING_ROOTS:
            return self.make_trainer(kwargs.get("precision"), node)
        if last in ("Accelerator", "Fabric"):
            mode = kwargs.get("mixed_precision", kwargs.get("precision"))
            if isinstance(mode, Const) and str(mode.value) in FRAMEWORK_AUTOCAST_MODES:
                return Autocast("accelerator", True, node.lineno)
            return UNKNOWN
        if last in ("DataLoader",):
            return self.make_loader(args, kwargs, frame)
        functional = tv.functional_name(qualified)
        if functional is not None:
            return self.functional_transform(functional, node, args, kwargs, frame)
        transform = tv.transform_name(qualified)
        if transform is not None:
            return transforms.build(transform, node, args, kwargs, transforms.list_steps)
        dataset = tv.dataset_name(qualified)
        if dataset is not None:
            index = tv.DATASET_TRANSFORM_INDEX[dataset]
            chosen = kwargs.get("transform", args[index] if index is not None and len(args) > index else UNKNOWN)
            return transforms.dataset_items(chosen, lambda fn, value: self.apply_callable(fn, value, frame))
        if last == "Sequential" and args and isinstance(args[0], (Model, Instance)):
            return args[0]  # the first module receives the input
        if qualified in SPLIT_CALLS and args:
            return Container("list", elem=args[0])
        if last == "TensorDataset":
            return Iterable(Container("tuple", dict(enumerate(args))), last)
        if qualified in ("functools.partial", "partial") and args and isinstance(args[0], ModuleRef) \
                and self.is_autocast_name(args[0].qualified):
            # partial(torch.autocast, "cuda", dtype=...): calling it gives that autocast
            return self.make_autocast(args[0].qualified, node, list(args[1:]), kwargs, frame)
        if qualified in ("functools.partial", "partial") and args and isinstance(args[0], FunctionRef):
            fn = args[0]
            return FunctionRef(fn.node, fn.bound_self, fn.closure, tuple(args[1:]),
                               {k: v for k, v in kwargs.items() if not k.startswith("**")})
        if qualified in kb.DTYPE_HELPERS and args:
            return self.dtype_helper(kb.DTYPE_HELPERS[qualified], args[0], node)
        if qualified in configvalues.ARGUMENT_PARSERS:
            return configvalues.ArgParser()
        loaded = configvalues.literal_config(qualified, args)
        if loaded is not None:
            return loaded
        if qualified in configvalues.ENV_GETTERS:
            return configvalues.env_default(args, kwargs)
        if qualified in configvalues.DATACLASS_FIELDS:
            return configvalues.field_default(kwargs, node)
        if qualified in ("copy.deepcopy", "deepcopy") and args:
            return deep_copy(args[0], {})
        if qualified in PASS_THROUGH_CALLS or last in ("tqdm", "DataParallel", "DistributedDataParallel"):
            return args[0] if args else UNKNOWN
        if qualified in NAMESPACE_CALLS:
            if args and isinstance(args[0], Container):
                return args[0]
            return Container("dict", {k: v for k, v in kwargs.items() if not k.startswith("**")})
        if qualified.startswith("torch.") or qualified.startswith("F.") or qualified.startswith("torch_"):
            return self.torch_function(qualified, node, args, kwargs, frame)
        if qualified in BUILTIN_NAMES:
            return self.builtin(qualified, node, args, kwargs, frame)
        source = self.external_data_source(qualified, node, kwargs, frame)
        if source is not None:
            return source
        return UNKNOWN

    def dtype_helper(self, table, precision, node) -> Value:
        """`get_cast_dtype(args.precision)`: the table decides a known string; an unknown
        one decides nothing."""
        if not (isinstance(precision, Const) and isinstance(precision.value, str)):
            return UNKNOWN
        dtype = table.get(precision.value)
        if dtype is None:
            return Const(None)
        origin = Origin(node.lineno, f"{self.source.segment(node.func)}({precision.value!r})") if dtype == BF16 else None
        return DType(dtype, origin)

    def builtin(self, name, node, args, kwargs, frame):
        if name == "enumerate" and args:
            return Iterable(Container("tuple", {0: UNKNOWN, 1: self.iter_elem(args[0])}))
        if name == "zip":
            return Iterable(Container("tuple", {i: self.iter_elem(a) for i, a in enumerate(args)}))
        if name == "map" and len(args) == 2 and isinstance(args[0], FunctionRef):
            # images, labels = map(lambda t: t.to(device), batch): each item through the function
            def apply(value):
                return self.call_function(args[0], None, [value], {}, frame)

            source = args[1]
            if isinstance(source, Container) and source.kind in ("tuple", "list"):
                elem = apply(source.elem) if source.elem is not UNKNOWN else UNKNOWN
                return Container("list", {key: apply(item) for key, item in source.items.items()}, elem)
            return Iterable(apply(self.iter_elem(source)))
        if name == "next" and args:
            return self.iter_elem(args[0])
        if name == "iter" and args:
            return args[0]
        if name in ("list", "tuple", "sorted", "reversed") and args:
            return Container("list", elem=self.iter_elem(args[0]))
        if name == "dict":
            if args and isinstance(args[0], Container):
                return args[0]
            return Container("dict", {k: v for k, v in kwargs.items() if not k.startswith("**")})
        if name == "getattr" and len(args) >= 2 and isinstance(args[1], Const) and isinstance(args[1].value, str):
            value = self.get_attribute(args[0], args[1].value)
            return value if value is not UNKNOWN or len(args) < 3 else args[2]
        if name == "super":
            instance = frame.lookup("self")
            if not isinstance(instance, Instance):
                return UNKNOWN
            # The class whose body defines the running method, found in the instance's own
            # method resolution order (it may come from another module of the project):
            # super() reaches the classes after it.
            chain = (instance.cls, *instance.cls.mro) if instance.cls is not None else ()
            for index, klass in enumerate(chain):
                if any(method is frame.scope for method in klass.own_methods.values()):
                    methods = {}
                    for later in reversed(chain[index + 1:]):
                        methods.update(later.own_methods)
                    return Super(instance, methods, klass.module_base)
            owner = self.parents.parent.get(frame.scope)
            cls = self.class_refs.get(owner) if isinstance(owner, ast.ClassDef) else None
            if cls is None:
                return Super(instance, {})
            return Super(instance, cls.base_methods, cls.module_base)
        if name in ("bool", "int", "float", "str", "len", "isinstance", "hasattr", "range", "print"):
            return UNKNOWN
        return UNKNOWN

    def functional_transform(self, name, node, args, kwargs, frame):
        """TF.normalize(x, mean, std) keeps x's dtype (its mean/std are made in that dtype);
        TF.convert_image_dtype(x, dtype) casts; TF.to_tensor gives float32."""
        image = args[0] if args else kwargs.get("img", kwargs.get("inpt", kwargs.get("tensor", UNKNOWN)))
        if name in tv.CASTING_FUNCTIONALS:
            index, keyword = tv.CASTING_FUNCTIONALS[name]
            dtype = kwargs.get(keyword, args[index] if len(args) > index else UNKNOWN)
            return self.cast_unknown(image, "to", node, [dtype], {}, frame) if isinstance(dtype, DType) else UNKNOWN
        if name in tv.FUNCTIONAL_TO_FLOAT:
            return Tensor(FP32)
        if name in tv.FUNCTIONAL_TO_IMAGE:
            return UNKNOWN
        return image if isinstance(image, Tensor) else UNKNOWN

    def make_trainer(self, precision, node):
        """A Lightning Trainer: its loops call the module's step hooks, under autocast for a
        mixed precision. "bf16-true"/"16-true" cast the module and convert the batch to the
        same dtype, so nothing crashes: those trainers (and unknown precisions) run nothing."""
        mode = "32" if precision is None else str(precision.value) if isinstance(precision, Const) else None
        if mode in FRAMEWORK_AUTOCAST_MODES or mode == "16":
            return LightningTrainer(Autocast("accelerator", True, node.lineno))
        if mode in ("32", "32-true", "64", "64-true"):
            return LightningTrainer(None)
        return UNKNOWN

    def run_lightning_loop(self, trainer, name, args, kwargs, frame) -> Value:
        """trainer.fit(module, train_loader, val_loader) / validate / test / predict: each step
        hook gets one batch of its loader (or of the module's own *_dataloader method)."""
        module = kwargs.get("model", args[0] if args else UNKNOWN)
        if not isinstance(module, Instance):
            return UNKNOWN
        given = list(args[1:])
        for hook, loader_method, keywords in LIGHTNING_LOOPS[name]:
            loader = given.pop(0) if given else next((kwargs[k] for k in keywords if k in kwargs), None)
            step = self.find_method(module, hook)
            if step is None:
                continue
            if loader is None and self.find_method(module, loader_method) is not None:
                loader = self.call_function(FunctionRef(self.find_method(module, loader_method), module), None, [], {},
                                            frame)
            if loader is None:
                continue
            saved = frame.autocast
            if trainer.autocast is not None:
                frame.autocast = frame.autocast + (trainer.autocast,)
            try:
                self.call_function(FunctionRef(step, module), None, [self.iter_elem(loader), Const(0)], {}, frame)
            finally:
                frame.autocast = saved
        return UNKNOWN

    def make_device(self, spec):
        if isinstance(spec, Device):
            return spec
        if isinstance(spec, Const) and is_device_string(spec.value):
            return Device(device_kind(spec.value))
        return Device("unknown")

    @staticmethod
    def is_autocast_name(qualified) -> bool:
        return qualified in AUTOCAST_CALLS or qualified.rsplit(".", 1)[-1] == "autocast"

    def make_autocast(self, qualified, node, args, kwargs, frame):
        fixed = AUTOCAST_CALLS.get(qualified)
        if fixed is None and qualified.endswith("cuda.amp.autocast"):
            fixed = "cuda"
        if fixed is None and qualified.endswith("cpu.amp.autocast"):
            fixed = "cpu"
        device = fixed
        if device is None:
            spec = args[0] if args else kwargs.get("device_type", UNKNOWN)
            if isinstance(spec, Const) and is_device_string(spec.value):
                device = device_kind(spec.value)
            elif isinstance(spec, Device):
                device = "runtime" if spec.kind in ("runtime", "unknown") else spec.kind
            else:
                device = "runtime" if spec is not UNKNOWN or isinstance(spec, ModuleRef) else "unknown"
        enabled = kwargs.get("enabled")
        if enabled is None:
            enabled_flag = True
        else:
            enabled_flag = self.truth(enabled)
            if enabled_flag is None:
                enabled_flag = self.switch_default(node, "enabled")
        return Autocast(device, enabled_flag, node.lineno)

    def switch_default(self, call, keyword):
        """`autocast(enabled=args.amp)` with `--amp` a store_true switch: a run the user
        starts without the switch has no autocast, so the switch's default decides (RULES.md:
        options take their default; only a bf16 switch is read as maybe on)."""
        expr = next((k.value for k in getattr(call, "keywords", ()) if k.arg == keyword), None)
        dest = expr.attr if isinstance(expr, ast.Attribute) else None
        if dest is None or dest not in self.switch_defaults or dest in self.kb.bf16_flags:
            return None
        return self.truth(self.switch_defaults[dest])

    def make_loader(self, args, kwargs, frame):
        dataset = args[0] if args else kwargs.get("dataset", UNKNOWN)
        item = self.iter_elem(dataset)
        collate = kwargs.get("collate_fn", args[4] if len(args) > 4 else UNKNOWN)
        if isinstance(collate, FunctionRef):
            batch = self.call_function(collate, None, [Container("list", elem=item)], {}, frame)
        else:
            batch = item  # default_collate stacks tensors and keeps dicts, tuples and dtypes
        return Iterable(batch, "DataLoader")

    def torch_function(self, qualified, node, args, kwargs, frame):
        last = qualified.rsplit(".", 1)[-1]
        if last == "is_floating_point" and args:
            return self.dtype_fact(DType(args[0].dtype), last) if isinstance(args[0], Tensor) else UNKNOWN
        dtype = kwargs.get("dtype")
        if last in TENSOR_CONSTRUCTORS:
            if isinstance(dtype, DType):
                if dtype.dtype == BF16:
                    return Tensor(BF16, self.cast_origin_constructor(node, dtype, frame))
                return Tensor(dtype.dtype)
            if last.endswith("_like") and args and isinstance(args[0], Tensor):
                return args[0]
            if last == "from_numpy":
                return Tensor(UNKNOWN_DTYPE)
            if last in ("tensor", "as_tensor", "full"):
                scalar = last != "full" and bool(args) and isinstance(args[0], Const)
                return Tensor(self.default_dtype, None, scalar)
            return Tensor(self.default_dtype)
        tensors = []
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, Tensor):
                tensors.append(value)
            elif isinstance(value, Container):
                tensors.extend(v for v in value.values() if isinstance(v, Tensor))
        if isinstance(dtype, DType):
            if dtype.dtype == BF16:
                return Tensor(BF16, self.cast_origin_constructor(node, dtype, frame))
            return Tensor(dtype.dtype)
        if not tensors:
            return UNKNOWN
        result = tensors[0]
        for other in tensors[1:]:
            result = self.promote(result, other)
        return result

    def cast_origin_constructor(self, node, dtype, frame):
        if dtype.origin is not None and dtype.origin.condition:
            return Origin(node.lineno, "created with a dtype variable that is torch.bfloat16",
                          dtype.origin.condition, None, frame.scope, dtype.origin.line)
        return Origin(node.lineno, "created with dtype=torch.bfloat16", None, None, frame.scope)

    def external_data_source(self, qualified, node, kwargs, frame):
        """A dataset or cache built elsewhere, constructed with a bf16 flag or dtype."""
        last = qualified.rsplit(".", 1)[-1]
        if not DATA_SOURCE_NAME.search(last):
            return None
        for name, value in kwargs.items():
            reason = None
            if name in self.kb.bf16_flags:
                keyword = next((k.value for k in node.keywords if k.arg == name), None)
                # Where a bf16 flag reaches the data is a decision: a flag tested again
                # later (the seed's own fix) splits the path here.
                truth = self.branch_truth(value, keyword) if keyword is not None else self.truth(value)
                if truth is not False and not (isinstance(value, Const) and isinstance(value.value, str)
                                               and "bf16" not in value.value and "bfloat16" not in value.value):
                    reason = f"{last}(..., {name}=...) stores its tensors as bfloat16"
                    condition = None if truth is True else self.keyword_source(node, name)
            elif name in kb.DTYPE_KWARGS:
                if isinstance(value, DType) and value.dtype == BF16:
                    reason = f"{last}(..., {name}=...) stores its tensors as bfloat16"
                    condition = value.origin.condition if value.origin else None
                elif isinstance(value, Const) and isinstance(value.value, str) and DTYPE_STRINGS.get(value.value) == BF16:
                    reason = f"{last}(..., {name}={value.value!r}) stores its tensors as bfloat16"
                    condition = None
            if reason:
                origin = Origin(node.lineno, reason, condition, None, frame.scope)
                # We cannot see whether its items are dicts or tuples: "any" serves both.
                item = Container("any", elem=Tensor(BF16, origin))
                return Iterable(item, last)
        return None

    def keyword_source(self, node, name):
        for keyword in node.keywords:
            if keyword.arg == name:
                return self.source.segment(keyword.value)
        return None

    # ------------------------------------------------------------------ models
    def build_model(self, qualified, node, args, kwargs, frame) -> Optional[Value]:
        kb_ = self.kb
        last = qualified.rsplit(".", 1)[-1]
        line = node.lineno
        if last == "from_pretrained":
            return self.hf_model(qualified, node, args, kwargs)
        self_casting = kb.matches(qualified, kb_.self_casting)
        is_torchvision = any(qualified.startswith(p) for p in kb.TORCHVISION_PREFIXES)
        if is_torchvision and ("Weights" in qualified or last[:1].isupper() and "." in qualified[len("torchvision.models."):]):
            return None
        if not (self_casting or is_torchvision or kb.matches(qualified, kb_.backbones)):
            return None
        if qualified == "torch.hub.load" or qualified.endswith(".hub.load"):
            repo = args[0] if args else kwargs.get("repo_or_dir", UNKNOWN)
            repo_text = repo.value if isinstance(repo, Const) else "?"
            if not kb.hub_repo_is_backbone(repo_text, self.kb.backbones):
                return None  # an unknown repository is no evidence of a non-casting backbone
            entry = args[1] if len(args) > 1 else kwargs.get("model", UNKNOWN)
            entry_text = f", {entry.value!r}" if isinstance(entry, Const) else ""
            name = f"torch.hub.load({repo_text!r}{entry_text})"
        else:
            name = f"{self.source.segment(node.func)}(...)"
        if is_torchvision and not self.is_pretrained(args, kwargs):
            return None
        model = Model(name, line, self_casting=self_casting, dtype=self.default_dtype, built_by=node,
                      built_in=self.current_stmt)
        if "precision" in kwargs:  # open_clip: the weights' dtype, when it is known
            model.dtype = kb.open_clip_precision(kwargs["precision"], self.default_dtype)
        if qualified in kb.TUPLE_RETURNING_LOADERS or kb.matches(qualified, tuple(kb.TUPLE_RETURNING_LOADERS)):
            model.built_by = None  # the call returns a tuple: the wrap fix must not wrap it
            return Container("tuple", {0: model, 1: UNKNOWN, 2: UNKNOWN})
        element = kb_.tuple_model_index(qualified)  # a configured factory: `backbones = ["build[1]"]`
        if element is not None:
            model.built_by = None  # the call returns a tuple: the wrap fix must not wrap it
            return Container("tuple", {i: model if i == element else UNKNOWN for i in range(max(element + 1, 2))})
        return model

    def is_pretrained(self, args, kwargs) -> bool:
        """torchvision.models.resnet50(weights=...) / (pretrained=True) / (Weights.DEFAULT)."""
        for key in ("pretrained", "weights", "checkpoint_path", "pretrained_cfg_overlay"):
            if key in kwargs:
                truth = self.truth(kwargs[key])
                if truth is not False:
                    return True
        if args:
            return self.truth(args[0]) is not False and not isinstance(args[0], UNKNOWN.__class__)
        return False

    def hf_model(self, qualified, node, args, kwargs):
        parts = qualified.rsplit(".", 2)
        cls = parts[-2] if len(parts) >= 2 else ""
        checkpoint = args[0] if args else kwargs.get("pretrained_model_name_or_path", UNKNOWN)
        checkpoint_text = checkpoint.value if isinstance(checkpoint, Const) and isinstance(checkpoint.value, str) else ""
        # A checkpoint chosen at run time among known names counts when every choice agrees.
        choices = [checkpoint_text] if checkpoint_text else [
            o for o in checkpoint.options if isinstance(o, str)] if isinstance(checkpoint, Choice) else []
        if cls in self.kb.self_casting_classes:
            self_casting = True
        elif cls in self.kb.hf_backbone_classes:
            self_casting = False
        elif cls.startswith(kb.HF_AUTO_PREFIX):
            if choices and all(kb.SELF_CASTING_CHECKPOINT.search(c) for c in choices):
                self_casting = True
            elif choices and all(kb.BACKBONE_CHECKPOINT.search(c) and not kb.SELF_CASTING_CHECKPOINT.search(c)
                                 for c in choices):
                self_casting = False
            else:
                return None
        else:
            return None
        name = f"{cls}.from_pretrained({checkpoint_text!r})" if checkpoint_text else f"{cls}.from_pretrained(...)"
        model = Model(name, node.lineno, self_casting=self_casting, dtype=self.default_dtype, built_by=node,
                      built_in=self.current_stmt)
        for key in ("torch_dtype", "dtype"):
            value = kwargs.get(key)
            if isinstance(value, DType):
                model.dtype = value.dtype if value.dtype != UNKNOWN_DTYPE else OTHER
            elif isinstance(value, Const) and isinstance(value.value, str):
                model.dtype = DTYPE_STRINGS.get(value.value, OTHER)
            elif value is not None:
                model.dtype = OTHER
        return model
