"""Files from parts: one script, a notebook (the same program in cells, with markdown and a
magic now and then), or a small project (data.py, models/backbone.py, train.py)."""
from __future__ import annotations

import ast
import builtins
import json
import random
from typing import Dict, List, Tuple

from .parts import Parts, indent, render_imports


def _sections(p: Parts) -> List[str]:
    return p.config + [""] + p.data + [""] + p.model + [""] + p.run


def _defs(chunks) -> str:
    return "\n\n\n".join(c.text for c in chunks)


def _body(p: Parts, style: str, defs: str) -> str:
    parts = []
    if defs:
        parts.append(defs)
    if style == "main":
        main = ["def main():"] + indent(_sections(p))
        parts.append("\n".join(main) + '\n\n\nif __name__ == "__main__":\n    main()')
    else:
        parts.append("\n".join(_squeeze(_sections(p))))
    return "\n\n\n".join(parts) + "\n"


def _squeeze(lines: List[str]) -> List[str]:
    out: List[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def script(p: Parts, style: str, name: str) -> Tuple[Dict[str, str], str]:
    imports = set(p.imports)
    for chunk in p.defs:
        imports |= chunk.imports
    text = render_imports(imports) + "\n\n\n" + _body(p, style, _defs(p.defs))
    if p.rng.random() < 0.4:
        text = f'"""{p.pick("Extract image features", "Fine-tune a pretrained backbone", "Evaluate on the validation split")}."""\n' + text
    return {name: text}, name


def notebook(p: Parts, name: str, defs=None, project_imports: Tuple[str, ...] = ()) -> Tuple[Dict[str, str], str]:
    """The program as cells; ``defs``/``project_imports``: a notebook beside a project,
    importing the project's modules after putting its root on sys.path."""
    defs = p.defs if defs is None else defs
    cells: List[Tuple[str, str]] = [("markdown", "# " + p.pick("Feature extraction", "Linear probe", "Fine-tuning", "Validation"))]
    imports = set(p.imports)
    for chunk in defs:
        imports |= chunk.imports
    head = render_imports(imports)
    if project_imports:
        head = render_imports(imports | {"import sys"}) + '\n\nsys.path.append("..")\n' + "\n".join(project_imports)
    if p.rng.random() < 0.3:
        head = p.pick("%matplotlib inline", "%load_ext autoreload\n%autoreload 2") + "\n" + head
    cells.append(("code", head))
    if p.rng.random() < 0.2:
        cells.append(("code", "!nvidia-smi"))
    helpers = [c for c in defs if c.kind == "util"]
    cells += [("code", c.text) for c in helpers]
    cells.append(("code", "\n".join(_squeeze(p.config))))
    data_defs = [c for c in defs if c.kind == "data"]
    model_defs = [c for c in defs if c.kind == "model"]
    other_defs = [c for c in defs if c.kind not in ("data", "model", "util")]
    cells.append(("markdown", "## Data"))
    cells += [("code", c.text) for c in data_defs]
    cells.append(("code", "\n".join(_squeeze(p.data))))
    cells.append(("markdown", "## Model"))
    cells += [("code", c.text) for c in model_defs]
    cells.append(("code", "\n".join(_squeeze(p.model))))
    cells.append(("markdown", p.pick("## Run", "## Evaluate", "## Training loop")))
    cells += [("code", c.text) for c in other_defs]
    cells.append(("code", "\n".join(_squeeze(p.run))))
    cells = [c for c in cells if c[1].strip()]
    return {name: _ipynb(cells)}, name


def _ipynb(cells: List[Tuple[str, str]]) -> str:
    out = []
    for i, (kind, text) in enumerate(cells):
        lines = text.split("\n")
        source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
        cell = {"cell_type": kind, "id": f"c{i:03d}", "metadata": {}, "source": source}
        if kind == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        out.append(cell)
    nb = {"cells": out, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                                     "language_info": {"name": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"


def project(p: Parts, style: str) -> Tuple[Dict[str, str], str]:
    files: Dict[str, str] = {}
    data_defs = [c for c in p.defs if c.kind == "data"]
    model_defs = [c for c in p.defs if c.kind == "model"]
    other_defs = [c for c in p.defs if c.kind not in ("data", "model")]
    # Half the time the helpers (to_device, an @autocast embed(), make_runner's closure, a
    # config dataclass) live in utils.py: the backbone call or the cast then runs in another
    # module than the loop. Decided by a generator of its own, seeded from the program's
    # state without drawing from it, so every other line of the program stays as it was.
    helpers = [c for c in other_defs if c.kind == "util" and _self_contained(c)]
    if helpers and random.Random(hash(p.rng.getstate()[1])).random() < 0.5:
        own = set().union(*(c.imports for c in helpers))
        files["utils.py"] = (render_imports(own) + "\n\n\n" if own else "") + _defs(helpers) + "\n"
        other_defs = [c for c in other_defs if c not in helpers]
    else:
        helpers = []
    imports = set(p.imports)
    for chunk in other_defs:
        imports |= chunk.imports
    as_notebook = p.rng.random() < 0.3  # notebooks/train.ipynb importing the project (SHAPES.md "Across files")
    project_imports = []
    if data_defs:
        own = set().union(*(c.imports for c in data_defs)) | {"import torch"}
        files["data.py"] = render_imports(own) + "\n\n\n" + _defs(data_defs) + "\n"
        project_imports.append("from data import " + ", ".join(n for c in data_defs for n in c.names))
    if model_defs:
        own = set().union(*(c.imports for c in model_defs)) | {"import torch"}
        files["models/backbone.py"] = render_imports(own) + "\n\n\n" + _defs(model_defs) + "\n"
        names = ", ".join(n for c in model_defs for n in c.names)
        if p.rng.random() < 0.5:
            files["models/__init__.py"] = f"from .backbone import {names}\n"
            project_imports.append(f"from models import {names}")
        else:
            files["models/__init__.py"] = ""
            project_imports.append(f"from models.backbone import {names}")
    if helpers:
        project_imports.append("from utils import " + ", ".join(n for c in helpers for n in c.names))
    if as_notebook:
        cells, entry = notebook(p, "notebooks/train.ipynb", other_defs, tuple(project_imports))
        files.update(cells)
        return files, entry
    files["train.py"] = render_imports(imports | set(project_imports)) + "\n\n\n" + _body(p, style, _defs(other_defs))
    return files, "train.py"


def _self_contained(chunk) -> bool:
    """The definition needs no name of the script it came from (its own imports only), so
    it can move to another module."""
    tree = ast.parse(chunk.text)
    bound = set(dir(builtins))
    for line in chunk.imports:
        module, _, names = line.partition(" import ")
        if module.startswith("from "):
            bound |= {n.strip().split(" as ")[-1] for n in names.split(",")}
        else:
            bound.add(line.split()[1].split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return used <= bound
