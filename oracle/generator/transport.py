"""How the batch travels from the data to the call (RULES.md "What keeps bf16"): device
moves in their spellings, dict comprehensions, per-key stores, tuple unpacking, containers,
helpers, functools.partial, generators, closures.

`make_transport` returns (lines before the loop, the loop header or None, body lines that
end with the image on the device, the image reference)."""
from __future__ import annotations

from typing import List, Optional, Tuple

from .parts import Parts

TRANSPORTS = {
    "tensor": ("device_move", "container_append", "augassign", "extend_stack", "generator", "helper", "partial", "closure"),
    "tuple": ("tuple_unpack", "index", "generator", "helper", "partial", "container_append", "closure"),
    "dict": ("dict_comprehension", "per_key", "update", "dynamic_key", "helper", "partial", "generator", "closure"),
    "feature": ("batch_feature_to",),
}


def move(p: Parts, t: str) -> str:
    dev = p.names["device"]
    return p.pick(f"{t}.to({dev})", f"{t}.to({dev}, non_blocking=True)", f"{t}.cuda()", f'{t}.to("cuda")',
                  f"{t}.cuda(non_blocking=True)")


Result = Tuple[List[str], Optional[str], List[str], str]


def make_transport(p: Parts, kind: str, transport: str, source: str) -> Result:
    n = p.names
    loader, dev, x, batch, key = n["loader"], n["device"], n["x"], n["batch"], n["key"]
    if kind == "feature":
        to = f".to({dev}, torch.bfloat16)" if source == "batch_feature" else p.pick(f".to({dev})", "")
        if source == "batch_feature" and p.rng.random() < 0.5:
            to = f".to({dev}, dtype=torch.bfloat16)"
        body = [f'inputs = processor(images=photos, return_tensors="pt"){to}']
        if to == "":
            body.append(f'inputs["pixel_values"] = inputs["pixel_values"].to({dev})')
        ref = p.pick('inputs["pixel_values"]', x)
        if ref == x:
            body.append(f"{x} = " + p.pick('inputs["pixel_values"]', "inputs.pixel_values"))
        return [], f"for step in range({p.pick(1, 2)}):", body, ref
    if kind == "tensor":
        if transport == "device_move":
            return [], f"for {x} in {loader}:", [f"{x} = {move(p, x)}"], x
        if transport in ("container_append", "augassign", "extend_stack"):
            views = p.pick("views", "chunks", "parts", "pieces")
            add = {"container_append": f"{views}.append({move(p, 't')})",
                   "augassign": f"{views} += [{move(p, 't')}]",
                   "extend_stack": f"{views}.extend({move(p, 't')}.unbind(0))"}[transport]
            join = "torch.stack" if transport == "extend_stack" else "torch.cat"
            pre = [f"{views} = []", f"for t in {loader}:", f"    {add}"]
            return pre, None, [f"{x} = {join}({views})"], x
        if transport == "generator":
            p.add("data", """
def on_device(batches, device):
    for b in batches:
        yield b.to(device, non_blocking=True)
""", (), ["on_device"])
            return [], f"for {x} in on_device({loader}, {dev}):", [], x
        if transport in ("helper", "partial"):
            p.add("util", """
def to_device(t, device):
    return t.to(device, non_blocking=True)
""", (), ["to_device"])
            return _helper_call(p, transport, f"for {x} in {loader}:", x, x)
        if transport == "closure":
            return [], f"for {x} in {loader}:", [], x
    if kind == "tuple":
        if transport == "tuple_unpack":
            if p.rng.random() < 0.5:
                return [], f"for {x}, y in {loader}:", [f"{x}, y = {move(p, x)}, {move(p, 'y')}"], x
            return [], f"for {batch} in {loader}:", [f"{x}, y = {batch}", f"{x} = {move(p, x)}"], x
        if transport == "index":
            return [], f"for {batch} in {loader}:", [f"{x} = {move(p, batch + '[0]')}"], x
        if transport == "generator":
            p.add("data", """
def prefetch(loader, device):
    for images, labels in loader:
        yield images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
""", (), ["prefetch"])
            return [], f"for {x}, y in prefetch({loader}, {dev}):", [], x
        if transport in ("helper", "partial"):
            p.add("util", """
def to_device(batch, device):
    return tuple(t.to(device, non_blocking=True) for t in batch)
""", (), ["to_device"])
            return _helper_call(p, transport, f"for {batch} in {loader}:", f"{x}, y", batch, x)
        if transport == "container_append":
            views = p.pick("views", "chunks")
            pre = [f"{views} = []", f"for t, _ in {loader}:", f"    {views}.append({move(p, 't')})"]
            return pre, None, [f"{x} = torch.cat({views})"], x
        if transport == "closure":
            return [], f"for {x}, _ in {loader}:", [], x
    if kind == "dict":
        ref = f'{batch}["{key}"]'
        header = f"for {batch} in {loader}:"
        if transport == "dict_comprehension":
            k, v = p.pick(("k", "v"), ("key", "value"), ("name", "tensor"))
            return [], header, [f"{batch} = {{{k}: {move(p, v)} for {k}, {v} in {batch}.items()}}"], ref
        if transport == "per_key":
            return [], header, [f"{ref} = {move(p, ref)}", f'{batch}["label"] = {move(p, batch + chr(91) + chr(34) + "label" + chr(34) + chr(93))}'], ref
        if transport == "update":
            if key.isidentifier() and p.rng.random() < 0.5:
                return [], header, [f"{batch}.update({key}={move(p, ref)})"], ref
            return [], header, [f'{batch}.update({{"{key}": {move(p, ref)}}})'], ref
        if transport == "dynamic_key":
            return [], header, ["moved = {}", f"for name, value in {batch}.items():", f"    moved[name] = {move(p, 'value')}",
                                f"{batch} = moved"], ref
        if transport in ("helper", "partial"):
            p.add("util", """
def to_device(batch, device):
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}
""", (), ["to_device"])
            return _helper_call(p, transport, header, batch, batch, ref)
        if transport == "generator":
            p.add("data", """
def on_device(loader, device):
    for batch in loader:
        yield {k: v.to(device) for k, v in batch.items()}
""", (), ["on_device"])
            return [], f"for {batch} in on_device({loader}, {dev}):", [], ref
        if transport == "closure":
            return [], header, [], ref
    raise ValueError((kind, transport))


def _helper_call(p: Parts, transport: str, header: str, target: str, arg: str, ref: Optional[str] = None) -> Result:
    dev = p.names["device"]
    if transport == "partial":
        p.imports.add("import functools")
        return [f"move = functools.partial(to_device, device={dev})"], header, [f"{target} = move({arg})"], ref or target
    return [], header, [f"{target} = to_device({arg}, {dev})"], ref or target
