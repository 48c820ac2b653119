"""Runs one program inside the forked child: writes its files into a fresh folder, runs the
entry (a script as ``__main__`` or a notebook's code cells in one namespace) and turns the
outcome into a verdict dict whose frames point back at the program's own files.

Code is compiled with file names we can map back: a script keeps its real path inside the
program folder; a notebook cell gets ``<path>::cell<N>`` (N counts every cell, markdown
included, from 1; lines are inside the cell), so traceback frames name the cell directly."""
from __future__ import annotations

import builtins
import json
import os
import re
import sys
import traceback
import types
from typing import Dict, List, Optional, Tuple

from oracle.program import classify

_CELL_NAME = re.compile(r"^(?P<path>.*)::cell(?P<cell>\d+)$")
_MAGIC_ASSIGN = re.compile(r"^(?P<indent>\s*)(?P<target>[\w.,\s\[\]()]+?)\s*=\s*[%!]")
_CELL_BODY_MAGICS = ("%%time", "%%timeit", "%%capture", "%%prun", "%%debug")


def write_files(root: str, files: Dict[str, str]) -> None:
    for rel, text in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def notebook_cells(text: str) -> List[Tuple[int, str, str]]:
    """(1-based index over all cells, cell_type, source) for every cell of an .ipynb."""
    data = json.loads(text)
    cells = []
    for index, cell in enumerate(data.get("cells", []), start=1):
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        cells.append((index, cell.get("cell_type", "code"), source))
    return cells


def strip_magics(source: str, cwd: str) -> Optional[str]:
    """The cell as plain Python with its line numbers kept: IPython line magics and shell
    lines become ``pass`` (or ``name = None`` when assigned), ``%%time``-like cell magics
    run their body, ``%%writefile`` writes its file, other cell magics skip the cell."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first.split()
        if magic[0] == "%%writefile" and len(magic) > 1:
            target = os.path.join(cwd, magic[-1])
            os.makedirs(os.path.dirname(target) or cwd, exist_ok=True)
            with open(target, "a" if "-a" in magic[1:-1] else "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines[1:]) + "\n")
            return None
        if magic[0] not in _CELL_BODY_MAGICS:
            return None
        lines[0] = ""
    out = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith(("%", "!")):
            out.append(indent + "pass")
            continue
        assigned = _MAGIC_ASSIGN.match(line)
        if assigned:
            out.append(f"{assigned['indent']}{assigned['target'].strip()} = None")
            continue
        out.append(line)
    return "\n".join(out)


def _frames(tb, root: str) -> List[dict]:
    frames = []
    prefix = root + os.sep
    for summary in traceback.extract_tb(tb):
        name = summary.filename
        cell = _CELL_NAME.match(name)
        if cell:
            path, cell_index = cell["path"], int(cell["cell"])
        else:
            path, cell_index = name, None
        real = os.path.realpath(path) if os.path.isabs(path) else path
        if not real.startswith(prefix) or summary.lineno is None:
            continue
        frame = {"file": real[len(prefix):].replace(os.sep, "/"), "line": summary.lineno}
        if cell_index is not None:
            frame["cell"] = cell_index
        frames.append(frame)
    return frames


def verdict_of(exc: BaseException, root: str) -> dict:
    if isinstance(exc, SystemExit) and exc.code in (None, 0):
        return {"status": "ok"}
    name = type(exc).__name__
    message = f"{name}: {exc}"
    status, direction = classify(name, str(exc))
    return {"status": status, "direction": direction, "message": message[:2000],
            "frames": _frames(exc.__traceback__, root)}


def _run_script(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        code = compile(handle.read(), path, "exec")
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    exec(code, module.__dict__)


def _display(*objects, **kwargs) -> None:  # IPython's display(): output is discarded anyway
    return None


def _run_notebook(path: str, text: str, cwd: str) -> None:
    module = types.ModuleType("__main__")
    module.__builtins__ = builtins
    module.__dict__["display"] = _display
    sys.modules["__main__"] = module
    for index, kind, source in notebook_cells(text):
        if kind != "code":
            continue
        python = strip_magics(source, cwd)
        if python is None:
            continue
        exec(compile(python, f"{path}::cell{index}", "exec"), module.__dict__)


def _unshadow(files: Dict[str, str], entry_dir_rel: str, preloaded: Tuple[str, ...]) -> None:
    """A program's own module named like a preloaded stand-in (``clip.py``, ``timm/``) wins,
    as it would when its folder is first on sys.path: forget the preloaded one."""
    own = set()
    for rel in files:
        folder, _, name = rel.rpartition("/")
        if folder == entry_dir_rel and name.endswith(".py"):
            own.add(name[:-3])
        elif folder.startswith(entry_dir_rel + "/" if entry_dir_rel else ""):
            own.add(folder[len(entry_dir_rel) + 1 if entry_dir_rel else 0:].split("/")[0])
    for name in own & set(preloaded):
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def run_program(message: dict, root: str, preloaded: Tuple[str, ...] = ()) -> dict:
    """Runs the program described by ``message`` (Program.to_message) in folder ``root``
    (already the cwd's parent); returns a verdict dict."""
    root = os.path.realpath(root)
    write_files(root, message["files"])
    _unshadow(message["files"], message["entry"].rpartition("/")[0], preloaded)
    entry = os.path.join(root, *message["entry"].split("/"))
    entry_dir = os.path.dirname(entry)
    notebook = entry.endswith(".ipynb")
    # Jupyter starts a notebook's kernel in the notebook's folder; a script runs from the root.
    os.chdir(entry_dir if notebook else root)
    sys.path.insert(0, entry_dir)
    sys.argv = [entry, *message["argv"]]
    os.environ.update(message["env"])
    try:
        if notebook:
            _run_notebook(entry, message["files"][message["entry"]], entry_dir)
        else:
            _run_script(entry)
    except BaseException as exc:  # noqa: BLE001 - every outcome of the program is the verdict
        return verdict_of(exc, root)
    return {"status": "ok"}
