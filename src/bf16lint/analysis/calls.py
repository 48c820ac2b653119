"""Calls in the abstract interpreter: to user functions and classes (decorators, C3 method
order, instances, parameters), to methods of tensors, models and user objects, and the
casts they make. Library calls are in library.py. Mixed into analysis.interpreter.Interpreter."""
from __future__ import annotations

import ast
import dataclasses
from typing import Optional

from . import configvalues, containers, transforms
from .paths import Flag
from .library import LIGHTNING_LOOPS, LightningTrainer, ModelParameter
from .knowledge.calls import (
    TENSOR_NON_TENSOR_METHODS,
    KNOWN_MODULE_ROOTS,
    UNBOUND_TENSOR_METHODS,
    is_module_class,
)
from . import knowledge as kb
from .values import dtype_parts
from .values import (
    BF16,
    FP16,
    FP32,
    OTHER,
    UNKNOWN,
    UNKNOWN_DTYPE,
    Autocast,
    ClassRef,
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
    device_kind,
    is_device_string,
    join,
)
from .summaries import fingerprint, keeps
from .values import serial_now
from .state import (
    MAX_DEPTH,
    MAX_STEPS,
    MAX_TOTAL_STEPS,
    Frame,
    _Stop,
)


def c3_tail(bases) -> tuple:
    """The classes after a new class in its C3 linearisation (Python's method resolution
    order) from its user-class bases; an inconsistent hierarchy (a TypeError at run time)
    falls back to the bases depth-first, left to right."""
    sequences = [[base, *base.mro] for base in bases] + [list(bases)]
    order = []
    while True:
        sequences = [seq for seq in sequences if seq]
        if not sequences:
            return tuple(order)
        for seq in sequences:
            head = seq[0]
            if not any(head in other[1:] for other in sequences):
                break
        else:
            seen = list(order)
            for base in bases:
                for klass in (base, *base.mro):
                    if klass not in seen:
                        seen.append(klass)
            return tuple(seen)
        order.append(head)
        sequences = [seq[1:] if seq[0] is head else seq for seq in sequences]


class Calls:

    # -------------------------------------------------------------------- calls
    def expr_Call(self, node, frame):
        args, kwargs = self.eval_args(node, frame)
        if self.resolver is not None:  # yaml.safe_load(open(...)) of one of the project's config files
            loaded = self.resolver.config_call(self, node, frame)
            if loaded is not None:
                return loaded
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self.eval(func.value, frame)
            if isinstance(receiver, ModuleRef) and is_module_class(receiver.qualified) and args \
                    and isinstance(args[0], (Instance, Model)):
                # nn.Module.to(self, ...): Module's own method called on the object given.
                return self.inherited_module_method(args[0], func.attr, node, args[1:], kwargs, frame)
            if isinstance(receiver, ModuleRef) and func.attr in UNBOUND_TENSOR_METHODS and (
                (not receiver.bound and "." not in receiver.qualified)
                or receiver.qualified.split(".")[0] not in KNOWN_MODULE_ROOTS
            ):
                # `images.to(torch.bfloat16)` where `images` comes from outside this code.
                return self.cast_unknown(UNKNOWN, func.attr, node, args, kwargs, frame)
            if isinstance(receiver, ModuleRef):
                return self.call_qualified(f"{receiver.qualified}.{func.attr}", node, args, kwargs, frame)
            return self.call_method(receiver, func.attr, node, args, kwargs, frame)
        callee = self.eval(func, frame)
        return self.call_value(callee, node, args, kwargs, frame)

    def eval_args(self, node, frame):
        args = []
        for arg in node.args:
            value = self.eval(arg, frame)
            if isinstance(arg, ast.Starred) and self.exact_sequence(value):
                args.extend(value.items[index] for index in range(len(value.items)))  # f(*args) of known args
                continue
            args.append(UNKNOWN if isinstance(arg, ast.Starred) and not isinstance(value, Container) else value)
        kwargs = {}
        for index, keyword in enumerate(node.keywords):
            value = self.eval(keyword.value, frame)
            kwargs[keyword.arg if keyword.arg is not None else f"**{index}"] = value
            if keyword.arg is None and isinstance(value, Container) and value.kind in ("dict", "any"):
                # .to(**to_kwargs): its known keys are keyword arguments too.
                for key, item in value.items.items():
                    if isinstance(key, str) and key not in kwargs:
                        kwargs[key] = item
        return args, kwargs

    @staticmethod
    def exact_sequence(value) -> bool:
        """A tuple whose every item is known (a function's *args): it can be spread into a call."""
        return isinstance(value, Container) and value.kind == "tuple" and value.elem is UNKNOWN \
            and set(value.items) == set(range(len(value.items)))

    def call_value(self, callee, node, args, kwargs, frame):
        if isinstance(callee, ModuleRef):
            return self.call_qualified(callee.qualified, node, args, kwargs, frame)
        if isinstance(callee, FunctionRef):
            return self.call_function(callee, node, args, kwargs, frame)
        if isinstance(callee, ClassRef):
            return self.instantiate(callee, node, args, kwargs, frame)
        if isinstance(callee, Model):
            self.check_input(node, callee, args, kwargs, frame)
            return Tensor(UNKNOWN_DTYPE)
        if isinstance(callee, Instance):
            method = self.find_method(callee, "forward") or self.find_method(callee, "__call__")
            if method is not None and node is not None and self.holds_low_precision(callee, set()):
                self.note_low_precision_inputs(node, frame)  # a wrapper cast to bf16 takes bf16
            if method is not None:
                framework = callee.attrs.get("__bf16lint_autocast__")
                saved = frame.autocast
                if framework is not None:
                    frame.autocast = frame.autocast + (framework,)
                try:
                    return self.call_function(FunctionRef(method, callee), node, args, kwargs, frame)
                finally:
                    frame.autocast = saved
        if isinstance(callee, Autocast):
            return callee  # @torch.autocast(...) used as a decorator factory result
        if isinstance(callee, (transforms.Pipeline, transforms.Step)) and args:
            return self.apply_callable(callee, args[0], frame)
        if isinstance(callee, Tensor) and callee.dtype in (BF16, FP16) and node is not None:
            # Something cast to bf16/fp16 and then called is a low-precision module (a
            # student built without pretrained weights): what it takes must stay bf16.
            self.note_low_precision_inputs(node, frame)
        return UNKNOWN

    def holds_low_precision(self, instance: Instance, seen) -> bool:
        if id(instance) in seen:
            return False
        seen.add(id(instance))
        own = instance.attrs.get("__bf16lint_dtype__")
        if isinstance(own, DType) and own.dtype in (BF16, FP16):
            return True
        for value in instance.attrs.values():
            if isinstance(value, Model) and dtype_parts(value.dtype) & {BF16, FP16}:
                return True
            if isinstance(value, Instance) and self.holds_low_precision(value, seen):
                return True
        return False

    def note_low_precision_inputs(self, node, frame) -> None:
        for arg in node.args + [k.value for k in node.keywords]:
            while isinstance(arg, (ast.Subscript, ast.Attribute)):  # batch["image"]: the name is batch
                arg = arg.value
            if isinstance(arg, ast.Name):
                self.low_precision_inputs.add((frame.scope, arg.id))

    def apply_callable(self, fn, value, frame) -> Value:
        """A transform applied to a sample: pipelines step by step, user callables called."""
        if isinstance(fn, transforms.Pipeline):
            for step in fn.steps:
                value = self.apply_callable(step, value, frame)
            return value
        if isinstance(fn, transforms.Step):
            return transforms.apply_step(fn, value, lambda v, dtype: self.transform_cast(v, dtype, fn, frame))
        if isinstance(fn, (FunctionRef, Instance, ClassRef)):
            return self.call_value(fn, None, [value], {}, frame)
        return UNKNOWN if fn is not None else value

    def transform_cast(self, value, dtype, step, frame) -> Value:
        if isinstance(dtype, DType) and dtype.dtype == BF16:
            origin = dtype.origin
            why = "a transform converts it to torch.bfloat16"
            return Tensor(BF16, Origin(step.line, why, origin.condition if origin else None, None, frame.scope,
                                       origin.line if origin and origin.line != step.line else None))
        if isinstance(dtype, DType) and dtype.dtype != UNKNOWN_DTYPE:
            return Tensor(dtype.dtype)
        return Tensor(UNKNOWN_DTYPE)

    def find_method(self, instance: Instance, name: str):
        if instance.cls is None:
            return None
        return instance.cls.methods.get(name)

    def call_method(self, receiver, name, node, args, kwargs, frame):
        if isinstance(receiver, Autocast) and name in ("__enter__", "__exit__"):
            # torch.autocast(...).__enter__() at the top of a notebook: on for what follows.
            if name == "__enter__":
                frame.autocast = frame.autocast + (receiver,)
            elif frame.autocast:
                frame.autocast = frame.autocast[:-1]
            return UNKNOWN
        if isinstance(receiver, LightningTrainer):
            return self.run_lightning_loop(receiver, name, args, kwargs, frame) if name in LIGHTNING_LOOPS else UNKNOWN
        if name == "enter_context" and args and isinstance(args[0], Autocast):
            # ExitStack.enter_context(torch.autocast(...)): on until the stack's `with` ends
            frame.autocast = frame.autocast + (args[0],)
            return UNKNOWN
        if isinstance(receiver, Super):
            if name in receiver.methods:
                return self.call_function(FunctionRef(receiver.methods[name], receiver.instance), node, args, kwargs,
                                          frame, hits_to_caller=False)
            if receiver.module_base:  # super().to(*args, **kwargs) in an override reaches nn.Module.to
                return self.module_builtin(receiver.instance, name, node, args, kwargs, frame)
            return UNKNOWN
        if name in ("setup", "setup_module", "setup_dataloaders") and not isinstance(receiver, (Tensor, Instance)) \
                and args and isinstance(args[0], (Model, Instance, Iterable)):
            # Lightning Fabric: fabric.setup(model, optimizer) gives the same objects back.
            self.mark_framework_autocast(receiver, args)
            return args[0] if len(args) == 1 else Container("tuple", dict(enumerate(args)))
        if name == "autocast" and not isinstance(receiver, (Tensor, Container)):
            # accelerator.autocast(), fabric.autocast(): the framework picks the device.
            return Autocast("accelerator", True, node.lineno)
        if isinstance(receiver, configvalues.ArgParser):
            result = configvalues.parser_method(receiver, name, args, kwargs)
            self.switch_defaults.update(receiver.switch_defaults)  # an autocast's enabled= reads them
            return result
        if isinstance(receiver, Tensor):
            return self.tensor_method(receiver, name, node, args, kwargs, frame)
        if isinstance(receiver, Model):
            return self.model_method(receiver, name, node, args, kwargs, frame)
        if isinstance(receiver, Instance):
            if name in receiver.attrs:  # self.backbone(x): call what the attribute holds
                return self.call_value(receiver.attrs[name], node, args, kwargs, frame)
            method = self.find_method(receiver, name)
            if method is not None:
                return self.call_function(FunctionRef(method, receiver), node, args, kwargs, frame)
            return self.module_builtin(receiver, name, node, args, kwargs, frame)
        if isinstance(receiver, Container):
            if name == "get" and args:
                key = args[0].value if isinstance(args[0], Const) else None
                return receiver.get(key) if key is not None else receiver.elem
            if name in ("values",):
                return Container("list", elem=self.iter_elem(Container("list", dict(receiver.items), receiver.elem)))
            if name == "items":
                values = Container("list", dict(receiver.items), receiver.elem)
                return Iterable(Container("tuple", {0: UNKNOWN, 1: self.iter_elem(values)}))
            if name in ("to", "cuda", "pin_memory"):
                return self.cast_unknown(receiver, name, node, args, kwargs, frame)
            if name == "copy":
                return receiver.copy()
            if name in containers.MUTATORS:
                updated, result = containers.mutate(receiver, name, args, kwargs, self.iter_elem)
                if updated is not None:
                    self.rebind(node.func.value, receiver, updated, frame)
                return result
            return UNKNOWN
        if isinstance(receiver, ClassRef):
            if name in receiver.methods:
                return self.call_function(FunctionRef(receiver.methods[name], None), node, args, kwargs, frame)
            if receiver.module_base and args and isinstance(args[0], (Instance, Model)):
                return self.inherited_module_method(args[0], name, node, args[1:], kwargs, frame)
            return UNKNOWN
        if isinstance(receiver, FunctionRef):
            return UNKNOWN
        if isinstance(receiver, Iterable):
            return UNKNOWN
        if name == "unwrap_model" and args and isinstance(receiver, Autocast):
            # accelerator.unwrap_model(model): keep_fp32_wrapper=True (the default) keeps the
            # autocast forward that prepare() installed
            keep = kwargs.get("keep_fp32_wrapper", args[1] if len(args) > 1 else Const(True))
            if isinstance(keep, Const) and keep.value is False and isinstance(args[0], Model):
                return dataclasses.replace(args[0], autocast=None)
            return args[0]
        if name == "prepare":  # accelerator.prepare(model, optimizer, loader): same objects back
            self.mark_framework_autocast(receiver, args)
            return args[0] if len(args) == 1 else Container("tuple", dict(enumerate(args)))
        return self.cast_unknown(receiver, name, node, args, kwargs, frame)

    def mark_framework_autocast(self, framework, args):
        """Accelerator(mixed_precision="bf16").prepare / Fabric(precision="bf16-mixed").setup
        run the model's forward under autocast: calls into it are protected (BFD002)."""
        if not isinstance(framework, Autocast):
            return
        for value in args:
            if isinstance(value, Model):
                self.trail.set_attr(value, "autocast", framework)
            elif isinstance(value, Instance):
                self.trail.set_item(value, "attrs", "__bf16lint_autocast__", framework)

    def cast_unknown(self, receiver, name, node, args, kwargs, frame):
        """A method on something we know nothing about: only an explicit dtype says more."""
        self.note_move(name, args, kwargs)
        dtype = self.dtype_argument(name, args, kwargs)
        if dtype is not None and dtype.dtype == BF16:
            return Tensor(BF16, self.cast_origin(node, dtype, frame))
        if dtype is not None and dtype.dtype in (FP32, FP16, OTHER):
            return Tensor(dtype.dtype)
        if isinstance(receiver, Container) and name in ("to", "cuda", "pin_memory"):
            return receiver
        return UNKNOWN

    def dtype_argument(self, name, args, kwargs) -> Optional[DType]:
        """The dtype a .to/.type/.bfloat16/.float call asks for, or None if it keeps dtype."""
        if name == "bfloat16":
            return DType(BF16)
        if name == "float":
            return DType(FP32)
        if name == "half":
            return DType(FP16)
        if name in ("double", "long", "int", "bool", "byte"):
            return DType(OTHER)
        if name in ("to", "type"):
            candidates = list(args) + [kwargs.get("dtype", UNKNOWN)]
            for value in candidates:
                if isinstance(value, DType):
                    return value
                if isinstance(value, Tensor) and name == "to":
                    return DType(value.dtype, value.origin)
                if isinstance(value, Const) and isinstance(value.value, str) and name == "type":
                    text = value.value.lower()
                    if "bfloat16" in text:
                        return DType(BF16)
                    if "float" in text:
                        return DType(FP32)
        if name == "type_as" and args:
            other = args[0]
            return DType(other.dtype, other.origin) if isinstance(other, Tensor) else DType(OTHER)
        return None

    def cast_origin(self, node, dtype: DType, frame) -> Origin:
        method = node.func.attr if isinstance(node.func, ast.Attribute) else "to"
        shown = self.source.segment(node)
        shown = f"`{shown}`" if len(shown) <= 60 and "\n" not in shown else f"`.{method}(...)`"
        literal = self.literal_bf16_cast(node)
        if dtype.origin is not None and not literal:
            where = dtype.origin
            return Origin(node.lineno, f"{shown}, its dtype torch.bfloat16", where.condition, None, frame.scope,
                          where.line)
        return Origin(node.lineno, shown, None, node if literal else None, frame.scope)

    def literal_bf16_cast(self, node) -> bool:
        """`.bfloat16()`, or `.to/.type(...)` spelling torch.bfloat16 literally."""
        if not isinstance(node.func, ast.Attribute):
            return False
        if node.func.attr == "bfloat16":
            return True
        for arg in list(node.args) + [k.value for k in node.keywords if k.arg == "dtype"]:
            if isinstance(arg, ast.Attribute) and arg.attr == "bfloat16":
                return True
        return False

    def note_move(self, name, args, kwargs):
        """`.cuda()` and `.to("cuda")` say which device the program runs on."""
        if name == "cuda":
            self.devices.add("cuda")
        elif name == "to":
            for value in list(args[:1]) + [kwargs.get("device")]:
                if isinstance(value, Const) and is_device_string(value.value):
                    self.devices.add(device_kind(value.value))
                elif isinstance(value, Device):
                    self.devices.add(value.kind)

    def tensor_method(self, tensor, name, node, args, kwargs, frame):
        self.note_move(name, args, kwargs)
        dtype = self.dtype_argument(name, args, kwargs)
        if dtype is not None:
            if dtype.dtype == BF16:
                return tensor if tensor.is_bf16 and dtype.origin is None else Tensor(BF16, self.cast_origin(node, dtype, frame))
            if dtype.dtype == UNKNOWN_DTYPE:
                return Tensor(UNKNOWN_DTYPE)
            return Tensor(dtype.dtype)
        if name in ("is_floating_point", "element_size"):
            return self.dtype_fact(DType(tensor.dtype), name)
        if name in TENSOR_NON_TENSOR_METHODS:
            return UNKNOWN
        if name in ("sub", "div", "add", "mul", "true_divide", "subtract", "divide", "multiply") and args:
            return self.promote_with(tensor, args[0])
        # .to(device), .cuda(), .contiguous(), .permute(), in-place ops: same tensor.
        return tensor

    def model_method(self, model, name, node, args, kwargs, frame):
        dtype = self.dtype_argument(name, args, kwargs)
        if dtype is not None:
            self.trail.set_attr(model, "dtype", dtype.dtype if dtype.dtype != UNKNOWN_DTYPE else OTHER)
            return model
        if name in ("parameters", "named_parameters", "apply"):
            return self.module_walk(model, name, args, frame)
        if name in kb.NON_INPUT_METHODS:
            return model if name in kb.SAME_MODULE_METHODS else UNKNOWN
        self.check_input(node, model, args, kwargs, frame, method=name)
        return Tensor(UNKNOWN_DTYPE)

    def module_builtin(self, instance, name, node, args, kwargs, frame):
        """nn.Module methods a user class inherits: casts reach every held backbone."""
        dtype = self.dtype_argument(name, args, kwargs)
        if dtype is not None:
            self.cast_instance(instance, dtype.dtype if dtype.dtype != UNKNOWN_DTYPE else OTHER, set())
            return instance
        if name in ("eval", "train"):
            # nn.Module.training, which `autocast(enabled=self.training)` in a forward reads
            mode = args[0] if args else kwargs.get("mode", Const(True))
            instance.attrs["training"] = Const(False) if name == "eval" else mode
        if name in kb.SAME_MODULE_METHODS:
            return instance
        if name in ("parameters", "named_parameters", "apply"):
            return self.module_walk(instance, name, args, frame)
        if name == "register_buffer" and len(args) >= 2 and isinstance(args[0], Const):
            self.trail.set_item(instance, "attrs", str(args[0].value), args[1])
        return UNKNOWN

    def module_walk(self, module, name, args, frame):
        """`.parameters()` / `.named_parameters()` give parameters whose `.data` a loop may
        recast; `.apply(fn)` runs fn on the module (standing for each submodule: a cast there
        casts the backbone) and returns the module."""
        if name == "apply":
            if args and isinstance(args[0], FunctionRef):
                before = module.dtype if isinstance(module, Model) else None
                self.call_function(args[0], None, [module], {}, frame)
                if before is not None and module.dtype != before:
                    # a cast on some path of fn (`if isinstance(m, nn.Conv2d)`) reaches the
                    # submodules it selects: the backbone's layers take the cast
                    cast = dtype_parts(module.dtype) - dtype_parts(before)
                    if len(cast) == 1:
                        self.trail.set_attr(module, "dtype", next(iter(cast)))
            return module
        parameter = ModelParameter(module)
        return Iterable(parameter if name == "parameters" else Container("tuple", {0: UNKNOWN, 1: parameter}))

    def inherited_module_method(self, target, name, node, args, kwargs, frame):
        """nn.Module's own method called unbound on `target` (`nn.Module.to(self, ...)`)."""
        if isinstance(target, Model):
            return self.model_method(target, name, node, args, kwargs, frame)
        return self.module_builtin(target, name, node, args, kwargs, frame)

    def cast_instance(self, instance, dtype, seen):
        if id(instance) in seen:
            return
        seen.add(id(instance))
        # the module's own layers take that dtype too (a student built from scratch)
        instance.attrs["__bf16lint_dtype__"] = DType(dtype)
        for value in list(instance.attrs.values()):
            if isinstance(value, Model):
                self.trail.set_attr(value, "dtype", dtype)
            elif isinstance(value, Instance):
                self.cast_instance(value, dtype, seen)

    # ------------------------------------------------------ user code: classes
    def make_class(self, node: ast.ClassDef, frame: Frame) -> ClassRef:
        cls = ClassRef(node)
        bases = []
        for base in node.bases:
            base_value = self.eval(base, frame)
            if isinstance(base_value, ClassRef):
                bases.append(base_value)
                cls.module_base = cls.module_base or base_value.module_base
            elif isinstance(base_value, ModuleRef) and is_module_class(base_value.qualified):
                cls.module_base = True
        cls.mro = c3_tail(bases)
        for klass in reversed(cls.mro):  # the first class in the order that defines a name wins
            cls.methods.update(klass.own_methods)
            cls.attrs.update(klass.own_attrs)
        cls.base_methods = dict(cls.methods)
        class_frame = Frame(node, frame)
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                cls.own_methods[item.name] = item
            elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                self.exec_stmt(item, class_frame)
        cls.own_attrs = dict(class_frame.env)
        cls.methods.update(cls.own_methods)
        cls.attrs.update(cls.own_attrs)
        self.class_refs[node] = cls
        return cls

    def instantiate(self, cls: ClassRef, node, args, kwargs, frame) -> Instance:
        instance = Instance(cls)
        init = cls.methods.get("__init__")
        if init is not None:
            self.call_function(FunctionRef(init, instance), node, args, kwargs, frame, hits_to_caller=False)
        else:
            # dataclasses and NamedTuples: keyword arguments become attributes.
            fields = [item.target.id for item in cls.node.body
                      if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)]
            for name, value in zip(fields, args):
                instance.attrs[name] = value
            instance.attrs.update({k: v for k, v in kwargs.items() if not k.startswith("**")})
            for name in fields:
                default = cls.attrs.get(name)
                if name not in instance.attrs and isinstance(default, configvalues.FieldDefault):
                    instance.attrs[name] = self.field_value(default, frame)
        self.instances[cls.node] = instance
        return instance

    def field_value(self, default, frame) -> Value:
        """A dataclass field's value in a new instance: its default, or a fresh
        default_factory() (a nested config class, list, dict)."""
        if default.factory is None:
            return default.value
        factory, call = default.factory, default.factory_call
        if isinstance(factory, ModuleRef):
            if factory.qualified in ("list", "dict", "tuple", "set"):
                return Container("dict" if factory.qualified == "dict" else "list")
            # A library call needs a position (a backbone built there names its line).
            return self.call_qualified(factory.qualified, call, [], {}, frame) if call is not None else UNKNOWN
        return self.call_value(factory, None, [], {}, frame)

    # ---------------------------------------------------- user code: functions
    def call_function(self, ref: FunctionRef, node, args, kwargs, frame, hits_to_caller=True):
        fn = ref.node
        if ref.partial_args or ref.partial_kwargs:
            args = list(ref.partial_args) + list(args)
            kwargs = {**(ref.partial_kwargs or {}), **kwargs}
        self.interpreted.add(fn)
        if self.depth >= MAX_DEPTH or fn in self.active or self.steps - self.steps_before > MAX_STEPS \
                or self.steps > MAX_TOTAL_STEPS:
            return UNKNOWN
        parent = ref.closure if ref.closure is not None else self.module_frame
        if ref.closure is None and self.resolver is not None:  # a function of another module sees its globals
            parent = self.resolver.globals_for(fn) or parent
        callee = Frame(fn, parent, autocast=frame.autocast, is_method=ref.bound_self is not None)
        if isinstance(fn, ast.Lambda):
            self.bind_params(fn, ref, callee, args, kwargs)
            return self.eval(fn.body, callee)
        key = self.summary_key(ref, parent, node, args, kwargs, frame, hits_to_caller)
        cached = self.summaries.get(key) if key is not None else None
        if cached is not None:  # a summary's result is a value, never None
            return cached
        mark, born, hits_before = self.trail.mark(), serial_now(), len(self.hits)
        journal = self.module_frame.env.journal
        names_before = len(journal) if journal is not None else None
        for decorator in fn.decorator_list:
            value = self.eval(decorator, callee)
            if isinstance(value, Autocast):
                callee.autocast = callee.autocast + (value,)
        self.bind_params(fn, ref, callee, args, kwargs)
        self.depth += 1
        self.active.append(fn)
        try:
            try:
                self.exec_top(fn.body, callee)
            except _Stop:
                pass
        finally:
            self.depth -= 1
            self.active.pop()
        quiet = not callee.hits and len(self.hits) == hits_before and not callee.yields
        if self.resolver is not None:  # a crash in another module's code is the linted file's call's
            name = ref.bound_self.name if isinstance(ref.bound_self, Instance) else getattr(fn, "name", "<lambda>")
            self.resolver.carry_hits(self, callee, node, name, args, kwargs, frame)
        if node is not None and ref.bound_self is not None and hits_to_caller:
            self.forward_hits(callee, node, ref.bound_self, args, kwargs, frame)
        else:
            self.finish_frame(callee)
        if callee.yields:
            elem = UNKNOWN
            for value in callee.yields:
                elem = join(elem, value)
            return Iterable(elem, fn.name)
        result = UNKNOWN
        for value in callee.returns:
            result = join(result, value)
        journal = self.module_frame.env.journal
        if key is not None and quiet and keeps(result) and not self.trail.wrote_older_than(mark, born) \
                and journal is not None and len(journal) == names_before:
            self.summaries.put(key, result)  # no effect the caller could see: reuse it
        return result

    def summary_key(self, ref, parent, node, args, kwargs, frame, hits_to_caller):
        """The abstract context of a call of a module-level function or method (summaries.py),
        or None when the call is not summarised (a closure, another module's function)."""
        journal = self.module_frame.env.journal
        if ref.closure is not None or parent is not self.module_frame or journal is None:
            return None
        try:
            return (id(ref.node), fingerprint(ref.bound_self) if ref.bound_self is not None else None,
                    tuple(fingerprint(a) for a in args), tuple(sorted((k, fingerprint(v)) for k, v in kwargs.items())),
                    tuple(id(a) for a in frame.autocast), frozenset(self.assumptions.items()),
                    id(self.module_frame.env), len(journal), self.trail.old_writes, node is None, hits_to_caller)
        except TypeError:  # something unhashable in a constant: not summarised
            return None

    def bind_params(self, fn, ref, frame, args, kwargs):
        params = fn.args
        positional = list(getattr(params, "posonlyargs", [])) + list(params.args)
        values = list(args)
        is_static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in getattr(fn, "decorator_list", []))
        if ref.bound_self is not None and positional and not is_static:
            first = positional.pop(0)
            frame.env[first.arg] = ref.bound_self
        defaults = list(params.defaults)
        default_for = dict(zip([p.arg for p in positional[len(positional) - len(defaults):]], defaults))
        for index, param in enumerate(positional):
            if index < len(values):
                value = values[index]
            elif param.arg in kwargs:
                value = kwargs[param.arg]
            elif param.arg in default_for:
                value = self.eval(default_for[param.arg], self.module_frame)
            else:
                value = UNKNOWN
            if value is UNKNOWN:  # a parameter nobody decides is still one value in this body
                value = Flag(("param", id(fn), param.arg), param.arg, frame.home)
            frame.env[param.arg] = value
            frame.bind[param.arg] = (fn, "body_start")
        for param, default in zip(params.kwonlyargs, params.kw_defaults):
            if param.arg in kwargs:
                value = kwargs[param.arg]
            elif default is not None:
                value = self.eval(default, self.module_frame)
            else:
                value = UNKNOWN
            if value is UNKNOWN:
                value = Flag(("param", id(fn), param.arg), param.arg, frame.home)
            frame.env[param.arg] = value
            frame.bind[param.arg] = (fn, "body_start")
        if params.vararg:
            frame.env[params.vararg.arg] = Container("tuple", dict(enumerate(values[len(positional):])))
        if params.kwarg:
            named = {p.arg for p in positional} | {p.arg for p in params.kwonlyargs}
            frame.env[params.kwarg.arg] = Container("dict", {k: v for k, v in kwargs.items() if k not in named})
