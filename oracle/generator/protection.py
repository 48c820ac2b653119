"""What may stand between the bf16 image and the backbone (RULES.md "What ends bf16",
"Autocast that protects", "Model dtype changes", SHAPES.md E/F/G/H): casts in their
spellings, casts guarded by the same flag or by a dtype test, normalisation with fp32
buffers, autocast in every spelling (also disabled, wrong device, as a decorator, from a
helper, around the loss only), model casts (everywhere, on one branch, to fp16),
deepcopy before or after a model cast."""
from __future__ import annotations

from typing import List

from .parts import Parts

CASTS = ("none", "cast_float", "cast_at_call", "cast_param_dtype", "cast_same_flag", "cast_dtype_test",
         "normalise_fp32", "normalise_scalar")
AUTOCASTS = ("autocast", "autocast_disabled", "autocast_wrong_device", "autocast_decorator", "autocast_helper",
             "autocast_null_helper", "autocast_loss_only", "accelerate_autocast", "accelerate_prepare")
MODEL_CASTS = ("model_cast", "model_cast_branch", "model_half", "deepcopy_before_cast", "deepcopy_after_cast")
PROTECTIONS = CASTS + AUTOCASTS + MODEL_CASTS
# These need bf16 data on the default run: with fp32 data they would crash the other way.
NEED_BF16 = ("model_cast_branch", "model_half", "deepcopy_after_cast")


def loop_protection(p: Parts, protection: str, x: str, model: str, flag_made_bf16: bool = True) -> List[str]:
    """``flag_made_bf16``: the data is bf16 only under the flag. A cast under the same flag is
    then the seed's own fix; otherwise it would protect one value of the flag only, and which
    value a user picks is not the program's to say, so a dtype test stands in."""
    if protection == "cast_float":
        return [f"{x} = " + p.pick("{x}.float()", "{x}.to(torch.float32)", "{x}.to(dtype=torch.float)",
                                   "{x}.type(torch.float32)", "{x}.float().contiguous()").format(x=x)]
    if protection == "cast_param_dtype":
        return [f"{x} = {x}.to(next({model}.parameters()).dtype)"]
    if protection == "cast_same_flag" and p.flag is not None and flag_made_bf16:
        return [f"if {p.flag}:", f"    {x} = {x}.float()"]
    if protection in ("cast_dtype_test", "cast_same_flag"):
        style = p.pick("eq", "isfloat_method", "isfloat_fn", "element_size", "ne", "ifexp")
        if style == "eq":
            return [f"if {x}.dtype == torch.bfloat16:", f"    {x} = {x}.float()"]
        if style == "isfloat_method":
            return [f"{x} = {x}.float() if {x}.is_floating_point() else {x}"]
        if style == "isfloat_fn":
            return [f"if torch.is_floating_point({x}):", f"    {x} = {x}.float()"]
        if style == "element_size":
            return [f"if {x}.element_size() < 4:", f"    {x} = {x}.to(torch.float32)"]
        if style == "ne":
            return [f"if {x}.dtype != torch.float32:", f"    {x} = {x}.float()"]
        return [f"{x} = {x}.float() if {x}.dtype in (torch.bfloat16, torch.float16) else {x}"]
    if protection == "normalise_fp32":
        return [f"{x} = ({x} - mean) / std"]
    if protection == "normalise_scalar":
        return [f"{x} = ({x} - 0.5) / 0.5"]
    return []


def normalise_buffers(p: Parts) -> List[str]:
    dev = p.names["device"]
    return [f"mean = torch.tensor([0.485, 0.456, 0.406], device={dev}).view(1, 3, 1, 1)",
            f"std = torch.tensor([0.229, 0.224, 0.225], device={dev}).view(1, 3, 1, 1)"]


def autocast_header(p: Parts, protection: str) -> str:
    """The `with` header of an autocast block (empty for protections without one)."""
    dev = p.names["device"]
    dtype = p.pick("torch.bfloat16", "torch.bfloat16", "torch.float16")
    if protection in ("autocast", "autocast_loss_only"):
        return "with " + p.pick(
            f'torch.autocast("cuda", dtype={dtype})',
            f'torch.autocast(device_type="cuda", dtype={dtype})',
            f'torch.amp.autocast("cuda", dtype={dtype})',
            "torch.cuda.amp.autocast(dtype=torch.bfloat16)",
            "torch.cuda.amp.autocast()",
            f"torch.autocast({dev}.type, dtype=torch.bfloat16)" if p.names["device_kind"] == "object" else 'torch.autocast("cuda", dtype=torch.bfloat16)',
        ) + ":"
    if protection == "autocast_disabled":
        return "with " + p.pick('torch.autocast("cuda", enabled=False)', "torch.cuda.amp.autocast(enabled=False)",
                                'torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=False)',
                                'torch.amp.autocast("cuda", enabled=False)') + ":"
    if protection == "autocast_wrong_device":
        return "with " + p.pick('torch.autocast("cpu", dtype=torch.bfloat16)', "torch.cpu.amp.autocast(dtype=torch.bfloat16)",
                                'torch.autocast(device_type="cpu", dtype=torch.bfloat16)') + ":"
    if protection == "autocast_helper":
        p.add("util", """
def autocast_ctx(device_type="cuda"):
    return torch.autocast(device_type, dtype=torch.bfloat16)
""", {"import torch"}, ["autocast_ctx"])
        return "with autocast_ctx():"
    if protection == "autocast_null_helper":
        p.add("util", """
def amp_context(precision):
    if precision == "fp16":
        return torch.autocast("cuda", dtype=torch.float16)
    return contextlib.nullcontext()  # bf16 weights need no autocast
""", {"import torch", "import contextlib"}, ["amp_context"])
        return f'with amp_context({p.precision or chr(34) + "bf16" + chr(34)}):'
    if protection == "accelerate_autocast":
        p.imports.add("from accelerate import Accelerator")
        p.config.append(f'accelerator = Accelerator(mixed_precision="{p.pick("bf16", "fp16")}")')
        return "with accelerator.autocast():"
    return ""


def decorator(p: Parts, enabled: bool = True) -> str:
    if not enabled:
        return "@" + p.pick('torch.autocast(device_type="cuda", enabled=False)', "torch.cuda.amp.autocast(enabled=False)")
    return "@" + p.pick('torch.autocast("cuda", dtype=torch.bfloat16)', 'torch.autocast(device_type="cuda", dtype=torch.bfloat16)',
                        "torch.cuda.amp.autocast(dtype=torch.bfloat16)")


def model_protection(p: Parts, protection: str, model: str) -> List[str]:
    """Statements after the model is built (the call then goes to p.names['called'])."""
    dt = p.dtype if p.dtype else "torch.bfloat16"
    cast = p.pick(f"{model}.to({dt})", f"{model}.to(dtype={dt})") if p.dtype else p.pick(
        f"{model}.bfloat16()", f"{model}.to(torch.bfloat16)", f"{model}.to(dtype=torch.bfloat16)")
    if protection == "model_cast":
        lines = [f"{model} = {cast}"] if p.rng.random() < 0.7 else [cast]
        if p.flag is not None and not p.dtype:
            return [f"if {p.flag}:"] + ["    " + line for line in lines]  # the data's own flag
        return lines
    if protection == "model_cast_branch":
        on = p.rng.random() < 0.5
        p.config.append(f"PURE_BF16 = {on}")
        return ["if PURE_BF16:", f"    {model} = {model}.bfloat16()"]
    if protection == "model_half":
        return [f"{model} = {model}.half()"]
    if protection in ("deepcopy_before_cast", "deepcopy_after_cast"):
        p.imports.add("import copy")
        ema = p.pick("ema", "ema_model", "teacher", "reference")
        p.names["called"] = ema
        copy = f"{ema} = copy.deepcopy({model}).eval()"
        if protection == "deepcopy_before_cast":
            return [copy, f"{model} = {cast}"]
        return [f"{model} = {cast}", copy]
    return []
