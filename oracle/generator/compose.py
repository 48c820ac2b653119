"""The grammar: draw one value per axis (with the few constraints that keep a program
runnable), then assemble config, data, model and run sections from the axis modules."""
from __future__ import annotations

import random
import re
from typing import Dict, List

from . import protection as prot
from .config import FLAG_KINDS, dtype_from_flag, make_flag
from .parts import Parts, block
from .sinks import SINKS
from .sources import DATA_KINDS, DATA_SOURCES, LOOP_SOURCES, NEEDS_FLAG, loop_source, make_data
from .transport import TRANSPORTS, make_transport

SOURCES = ("none",) + LOOP_SOURCES + DATA_SOURCES
FORMS = ("plain", "wrapper", "wrapper_dict", "forward_features", "sequential", "factory", "teacher_student")
MODES = ("eval", "train")
STYLES = ("toplevel", "function", "main")

NAMES = {
    "model": ("model", "net", "backbone", "encoder", "extractor", "vit"),
    "x": ("x", "images", "imgs", "pixels", "inputs_img", "xb"),
    "batch": ("batch", "sample", "data", "item"),
    "loader": ("loader", "val_loader", "dl", "train_loader", "batches"),
    "device": ("device", "dev"),
    "dtype": ("dtype", "amp_dtype", "weight_dtype", "cast_dtype", "compute_dtype"),
    "cfg": ("args", "opts", "cfg", "config"),
    "key": ("image", "image", "pixel_values", "img", "images"),
    "out": ("out", "feats", "logits", "emb", "outputs"),
}


def draw(rng: random.Random, layout: str) -> Dict[str, str]:
    sink = rng.choice(sorted(SINKS))
    source = rng.choice(SOURCES)
    if source == "batch_feature" and not SINKS[sink].hf:
        source = rng.choice(LOOP_SOURCES)
    if source == "transform":
        data = rng.choice(("fake_data", "image_folder", "dataset_class", "tuple_dataset_class"))
    elif source == "dataset_cache":
        data = rng.choice(("dataset_class", "tuple_dataset_class"))
    elif source == "collate":
        data = rng.choice(("tensor_dataset", "dict_samples", "dataset_class", "tuple_dataset_class"))
    elif source == "batch_feature":
        data = "processor"
    elif source == "tensor_cache":
        data = rng.choice(("tensor_list", "tensor_dataset", "dict_samples"))
    else:
        data = rng.choice(sorted(k for k in DATA_KINDS if k != "processor" or SINKS[sink].hf))
    kind = DATA_KINDS[data]
    transport = rng.choice(TRANSPORTS[kind])
    flag = rng.choice(FLAG_KINDS) if source in NEEDS_FLAG or (source != "none" and rng.random() < 0.3) else "none"
    flag_on = flag == "argparse_store_true" or rng.random() < 0.85
    if flag == "env":
        # The linter reads an environment variable as unknown, so it reports the bf16 path
        # (RULES.md): like a store_true flag, the program runs with the option turned on.
        flag_on = True
    forms = [f for f in FORMS if _form_fits(f, sink, kind, transport, layout)]
    form = rng.choice(forms)
    protection = rng.choice(prot.PROTECTIONS)
    bf16_on = source != "none" and (flag == "none" or flag_on or source in ("cast_literal", "batch_feature"))
    if (protection in prot.NEED_BF16 and not bf16_on) or (protection == "model_cast" and not bf16_on and flag == "none"):
        protection = rng.choice(prot.CASTS)
    if form == "teacher_student" and (protection in prot.MODEL_CASTS or not bf16_on):
        form = "plain"
    if form == "teacher_student" and protection in prot.CASTS and protection != "none":
        protection = "cast_at_call"  # the bf16 student shares the tensor: only the teacher's input is cast
    if protection in prot.MODEL_CASTS and form == "factory" and layout == "project":
        form = "wrapper"
    if protection == "autocast_decorator" and transport == "closure":
        protection = "autocast"
    mode = "eval" if protection.startswith("deepcopy") else rng.choice(MODES)
    if protection == "autocast_loss_only":
        mode = "train"
    style = rng.choice(STYLES if layout != "notebook" else ("toplevel", "function"))
    return {"source": source, "flag": flag, "flag_value": "-" if flag == "none" else "on" if flag_on else "off", "data": data,
            "transport": transport, "protection": protection, "sink": sink, "form": form, "mode": mode,
            "style": style, "layout": layout}


def transport_ok(axes) -> bool:
    return axes["transport"] != "closure" and axes["form"] != "teacher_student"


def _form_fits(form: str, sink: str, kind: str, transport: str, layout: str) -> bool:
    s = SINKS[sink]
    if layout == "project" and form not in ("wrapper", "wrapper_dict", "factory"):
        return False
    if form == "wrapper_dict":
        return kind == "dict" and transport != "closure"
    if form == "forward_features":
        return s.features
    if form == "sequential":
        return s.tensor_out
    if form == "teacher_student":
        return transport != "closure"
    return True


def build(axes: Dict[str, str], rng: random.Random) -> Parts:
    names = {k: rng.choice(v) for k, v in NAMES.items()}
    if names["x"] == names["model"]:
        names["x"] = "images"
    sink = SINKS[axes["sink"]]
    names["checkpoint"] = {"hf_resnet": "microsoft/resnet-18", "hf_convnext": "facebook/convnext-tiny-224",
                           "hf_dinov2": "facebook/dinov2-small", "hf_vit": "google/vit-base-patch16-224"}.get(axes["sink"], "")
    p = Parts(rng=rng, names=names, size=sink.size)
    p.imports.add("import torch")
    _device(p)
    if axes["flag"] != "none":
        make_flag(p, axes["flag"], axes["flag_value"] == "on")
    if axes["source"] == "dtype_variable":
        dtype_from_flag(p)  # before the model section, which may cast a student with it
    kind = make_data(p, axes["data"], axes["source"])
    _model(p, axes, sink)
    _run(p, axes, sink, kind)
    return p


def _device(p: Parts) -> None:
    dev = p.names["device"]
    style = p.pick("object", "object", "string")
    p.names["device_kind"] = style
    if style == "object":
        p.config.append(p.pick(f'{dev} = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
                               f'{dev} = torch.device("cuda")'))
    else:
        p.config.append(f'{dev} = "cuda"')


def _model(p: Parts, axes: Dict[str, str], sink) -> None:
    """Model section: build (plainly, in a wrapper, a factory, nn.Sequential, beside a
    student), move, protect. Sets names['called'] and the call builder."""
    m, form, dev = p.names["model"], axes["form"], p.names["device"]
    p.names["called"] = m
    p.imports.update(sink.imports)
    in_chunk = form in ("wrapper", "wrapper_dict", "factory")  # built where config names are not visible
    p.names["in_chunk"] = "yes" if in_chunk else ""
    if axes["protection"] == "model_cast" and (sink.hf or sink.name == "open_clip") and p.rng.random() < 0.6:
        # The model is made bf16 where it is built (RULES.md "Model dtype changes"), with the
        # data's own dtype value, or a literal where the data is bf16 on the default run.
        literal_ok = p.flag is None or p.flag_on
        if sink.hf and (p.dtype and not in_chunk):
            p.names["hf_dtype"] = p.dtype
        elif sink.hf and literal_ok:
            p.names["hf_dtype"] = "torch.bfloat16"
        elif not sink.hf and p.precision and not in_chunk:
            p.names["oc_precision"] = p.precision
        elif not sink.hf and literal_ok:
            p.names["oc_precision"] = '"bf16"'
        p.names["cast_at_build"] = "yes" if ("hf_dtype" in p.names or "oc_precision" in p.names) else ""
    if form in ("wrapper", "wrapper_dict"):
        cls = p.pick("FeatureExtractor", "Backbone", "DinoClassifier", "Encoder", "ImageTower")
        saved, p.imports = p.imports, set()
        build = sink.build(p, "self.backbone")
        own = p.imports | set(sink.imports) | {"import torch.nn as nn"}
        p.imports = saved
        arg = "batch" if form == "wrapper_dict" else "x"
        img = 'batch["%s"]' % p.names["key"] if form == "wrapper_dict" else "x"
        call = sink.call(p, "self.backbone", img)
        deco = ""
        if axes["protection"] == "autocast_decorator" and p.rng.random() < 0.5:
            deco = "    " + prot.decorator(p) + "\n"
            own.add("import torch")
            p.names["decorated_forward"] = "yes"
        body = f"        feats = {call}\n        return feats" if p.rng.random() < 0.5 else f"        return {call}"
        p.add("model", f"""
class {cls}(nn.Module):
    def __init__(self):
        super().__init__()
{chr(10).join('        ' + line for line in build)}

{deco}    def forward(self, {arg}):
{body}
""", own, [cls])
        p.model.append(f"{m} = {cls}()")
        p.names["call"] = "{m}(" + ("{batch}" if form == "wrapper_dict" else "{x}") + ")"
    elif form == "factory":
        saved, p.imports = p.imports, set()
        build = sink.build(p, "net")
        own = p.imports | set(sink.imports)
        p.imports = saved
        fn = p.pick("build_backbone", "create_encoder", "load_model")
        p.add("model", f"""
def {fn}():
{chr(10).join('    ' + line for line in build)}
    return net.eval()
""", own, [fn])
        p.model.append(f"{m} = {fn}()")
        p.names["call"] = sink.call(p, "{m}", "{x}")
    elif form == "sequential":
        p.imports.add("import torch.nn as nn")
        p.model += sink.build(p, "trunk")
        p.model.append(f"{m} = nn.Sequential(trunk, nn.Flatten(1))")
        p.names["call"] = "{m}({x})"
    else:
        p.model += sink.build(p, m)
        if form == "forward_features":
            p.names["call"] = sink.features_call
            if sink.name == "hub_dinov2" and p.rng.random() < 0.5:
                p.names["call"] = p.pick("{m}.get_intermediate_layers({x}, n=1)[0]", "{m}.get_intermediate_layers({x}, n=4, reshape=True)[-1]")
        else:
            p.names["call"] = sink.call(p, "{m}", "{x}")
    p.model.append(p.pick(f"{m} = {m}.to({dev})", f"{m}.to({dev})", f"{m} = {m}.cuda()", f"{m} = {m}.to({dev}).eval()"))
    if form == "teacher_student":
        p.imports.add("import timm")
        dt = p.dtype or "torch.bfloat16"
        p.model.append(f'student = timm.create_model("resnet18", pretrained=False, num_classes=10).to({dev}, dtype={dt})')
    if not p.names.get("cast_at_build"):
        p.model += prot.model_protection(p, axes["protection"], m)
    if axes["protection"] == "accelerate_prepare":
        p.imports.add("from accelerate import Accelerator")
        p.config.append(f'accelerator = Accelerator(mixed_precision="{p.pick("bf16", "bf16", "fp16", "no")}")')
        p.model.append(f"{m} = accelerator.prepare({m})")
    if axes["protection"] == "normalise_fp32":
        p.model += prot.normalise_buffers(p)
    if axes["mode"] == "train":
        params = "student" if form == "teacher_student" else m
        p.model.append(f"optimizer = torch.optim.{p.pick('AdamW', 'SGD')}({params}.parameters(), lr={p.pick('1e-4', '3e-4', '0.01')})")


def _run(p: Parts, axes: Dict[str, str], sink, kind: str) -> None:
    n = p.names
    protection, mode, form = axes["protection"], axes["mode"], axes["form"]
    pre, header, body, ref = make_transport(p, kind, axes["transport"], axes["source"])
    called = n["called"]
    call = n["call"].format(m=called, x=ref, batch=n["batch"])
    if axes["transport"] == "closure":
        inner = n["call"].format(m="net", x="t", batch="t")
        p.add("util", f"""
def make_runner(net, device):
    def run(t):
        t = t.to(device)
        return {inner}
    return run
""", (), ["make_runner"])
        p.model.append(f"runner = make_runner({called}, {n['device']})")
        call = f"runner({ref})"
    if protection == "autocast_disabled" and transport_ok(axes) and p.rng.random() < 0.3:
        protection = "autocast_decorator"  # spelled as a decorator that switches autocast off
        n["decorator_enabled"] = "False"
    if protection == "autocast_decorator" and not n.get("decorated_forward"):
        fn = p.pick("embed", "forward_step", "encode")
        inner = n["call"].format(m="net", x="t", batch="t")
        p.add("util", f"""
{prot.decorator(p, n.get("decorator_enabled") != "False")}
def {fn}(net, t):
    return {inner}
""", {"import torch"}, [fn])
        call = f"{fn}({called}, {ref})"
        if form == "wrapper_dict":
            call = f"{fn}({called}, {n['batch']})"
    body += loop_source(p, axes["source"], ref, n["device"])
    flag_made_bf16 = p.dtype is not None or axes["source"] in ("flag_branch", "dataset_cache")
    body += prot.loop_protection(p, protection, ref, called, flag_made_bf16)
    if protection == "cast_at_call":
        target = n["batch"] if form == "wrapper_dict" else ref
        if form == "wrapper_dict":
            body.append(f"{ref} = {ref}.float()")
        else:
            call = re.sub(r"(?<![\w.])" + re.escape(target) + r"(?![\w\[])", lambda _: f"{target}.float()", call, count=1)
    out = n["out"]
    step = [f"{out} = {call}"]
    if form == "teacher_student":
        step = ["with torch.no_grad():", f"    target = {call}", f"{out} = student({ref})"]
    after: List[str] = []
    if mode == "train":
        loss = f"loss = {out}.float().pow(2).mean()" if form != "teacher_student" else f"loss = ({out}.float().mean() - target.float().mean()) ** 2"
        after = [loss, "loss.backward()", "optimizer.step()", "optimizer.zero_grad()"]
    else:
        after = [p.pick(f"results.append({out}.float().cpu())", f"print({out}.shape)", f"results.append({out}.detach())")]
    header_ac = prot.autocast_header(p, protection)
    if header_ac and form == "teacher_student":
        # autocast around the teacher only: the bf16 student must not meet an fp16 autocast
        body += block(header_ac, step[:2]) + step[2:] + after
    elif header_ac and protection == "autocast_loss_only":
        body += step + block(header_ac, [after[0]]) + after[1:]
    elif header_ac:
        body += block(header_ac, step) + after
    else:
        body += step + after
    if mode == "eval" and any("results" in line for line in after):
        pre = ["results = []"] + pre
    loop = (pre + block(header, body)) if header else (pre + body)
    eval_ctx = p.pick("with torch.no_grad():", "with torch.inference_mode():", "", "decorator") if mode == "eval" else ""
    style = axes["style"]
    if style == "function":
        fn = "train_one_epoch" if mode == "train" else p.pick("evaluate", "extract_features", "run_inference")
        params = ", ".join(sorted({called, n["loader"]} if kind != "feature" else {called}))
        deco = ["@torch.no_grad()"] if eval_ctx == "decorator" else []
        inner = block(eval_ctx, loop) if eval_ctx and eval_ctx != "decorator" else loop
        ret = ["return results"] if "results = []" in loop else []
        p.add("loop", "\n".join(deco + block(f"def {fn}({params}):", inner + ret)), (), [fn])
        p.run.append(f"{fn}({params})" if not ret else f"{p.pick('feats', 'preds', 'bank')} = {fn}({params})")
        if mode == "eval":
            p.run.insert(0, f"{called}.eval()")
    else:
        if mode == "eval":
            p.run.append(f"{called}.eval()")
        p.run += block(eval_ctx, loop) if eval_ctx and eval_ctx != "decorator" else loop
    if mode == "train":
        target = "student" if form == "teacher_student" else called
        p.run.insert(0, f"{target}.train()")
