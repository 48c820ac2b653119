"""Where the bf16 switch lives: the spellings users give a precision option (RULES.md,
"Values the analysis must know"). Each sets Parts.flag (a truth expression), Parts.precision
(a string-valued expression, where the spelling has one) and the argv/env that turn it on."""
from __future__ import annotations

from .parts import Parts

FLAG_KINDS = ("literal", "argparse_store_true", "argparse_choice", "dataclass", "dataclass_factory",
              "env", "dict_config", "namespace", "mixed_precision_str")


def make_flag(p: Parts, kind: str, on: bool) -> None:
    cfg = p.names["cfg"]
    p.flag_on = on
    word = "True" if on else "False"
    if kind == "literal":
        name = p.pick("USE_BF16", "BF16", "LOW_PRECISION", "use_bf16")
        p.config.append(f"{name} = {word}")
        p.flag = name
    elif kind == "argparse_store_true":
        opt = p.pick("bf16", "use-bf16", "bf16-cache")
        attr = opt.replace("-", "_")
        p.imports.add("import argparse")
        p.config += [
            "parser = argparse.ArgumentParser(" + p.pick("", 'description="feature extraction"') + ")",
            f'parser.add_argument("--{opt}", action="store_true", help="run in bfloat16")',
            f'parser.add_argument("--batch-size", type=int, default={p.pick(2, 4)})',
            f"{cfg} = parser.parse_args()",
        ]
        if on:
            p.argv.append(f"--{opt}")
        p.flag = f"{cfg}.{attr}"
    elif kind == "argparse_choice":
        p.imports.add("import argparse")
        default = '"bf16"' if on else '"fp32"'
        p.config += [
            "parser = argparse.ArgumentParser()",
            f'parser.add_argument("--precision", default={default}, choices=["fp32", "bf16"])',
            f"{cfg} = parser.parse_args()",
        ]
        p.precision = f"{cfg}.precision"
        p.flag = f'{cfg}.precision == "bf16"'
    elif kind in ("dataclass", "dataclass_factory"):
        p.imports.add("from dataclasses import dataclass")
        if kind == "dataclass":
            p.add("util", f"""
@dataclass
class TrainConfig:
    lr: float = 1e-4
    use_bf16: bool = {word}
    epochs: int = 1
""", {"from dataclasses import dataclass"}, ["TrainConfig"])
            p.config.append(f"{cfg} = TrainConfig()")
            p.flag = f"{cfg}.use_bf16"
        else:
            p.imports.add("from dataclasses import field")
            p.add("util", f"""
@dataclass
class PrecisionConfig:
    use_bf16: bool = {word}


@dataclass
class RunConfig:
    precision: PrecisionConfig = field(default_factory=PrecisionConfig)
    batch_size: int = 2
""", {"from dataclasses import dataclass, field"}, ["PrecisionConfig", "RunConfig"])
            p.config.append(f"{cfg} = RunConfig()")
            p.flag = f"{cfg}.precision.use_bf16"
    elif kind == "env":
        p.imports.add("import os")
        var = p.pick("USE_BF16", "BF16", "TRAIN_BF16")
        if p.rng.random() < 0.5:
            default = "1" if on else "0"
            p.config.append(f'{var.lower()} = os.environ.get("{var}", "{default}") == "1"')
        else:
            p.config.append(f'{var.lower()} = os.environ.get("{var}", "0") == "1"')
            if on:
                p.env[var] = "1"
        p.flag = var.lower()
    elif kind == "dict_config":
        p.config += [
            f"{cfg} = {{",
            f'    "training": {{"use_bf16": {word}, "lr": 3e-4, "epochs": 1}},',
            '    "data": {"batch_size": 2},',
            "}",
        ]
        p.flag = f'{cfg}["training"]["use_bf16"]'
    elif kind == "namespace":
        p.imports.add("from types import SimpleNamespace")
        p.config.append(f"{cfg} = SimpleNamespace(training=SimpleNamespace(use_bf16={word}, lr=1e-4))")
        p.flag = f"{cfg}.training.use_bf16"
    elif kind == "mixed_precision_str":
        value = '"bf16"' if on else '"no"'
        p.config.append(f"mixed_precision = {value}")
        p.precision = "mixed_precision"
        p.flag = 'mixed_precision == "bf16"'
    else:
        raise ValueError(kind)


def dtype_from_flag(p: Parts) -> str:
    """A dtype variable decided by the flag, in one of its common spellings."""
    var = p.names["dtype"]
    if p.precision and p.rng.random() < 0.5:
        style = p.pick("dict", "helper")
        if style == "dict":
            p.config.append('DTYPES = {"bf16": torch.bfloat16, "fp32": torch.float32, "no": torch.float32}')
            p.config.append(f"{var} = DTYPES[{p.precision}]")
        else:
            p.add("util", """
def get_cast_dtype(precision: str):
    if precision in ("bf16", "bf16-mixed", "pure_bf16"):
        return torch.bfloat16
    if precision == "fp16":
        return torch.float16
    return torch.float32
""", {"import torch"}, ["get_cast_dtype"])
            p.config.append(f"{var} = get_cast_dtype({p.precision})")
    else:
        p.config.append(f"{var} = torch.bfloat16 if {p.flag} else torch.float32")
    p.imports.add("import torch")
    p.dtype = var
    return var
