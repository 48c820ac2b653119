"""Shared material for the ecosystem tests: buggy and clean sources, a notebook writer,
and ways to run the real CLI and tools as subprocesses."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List, Optional, Sequence


# INVALID: BFD002 (line 18, inside autocast) and BFD001 (line 23, validation loop).
BUGGY_SCRIPT = textwrap.dedent(
    '''\
    import torch
    from torch.utils.data import DataLoader, Dataset


    class Cached(Dataset):
        def __init__(self, images, labels, use_bf16=False):
            self.images = images.to(torch.bfloat16) if use_bf16 else images
            self.labels = labels

        def __getitem__(self, i):
            return {"image": self.images[i], "label": self.labels[i]}


    model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda()
    loader = DataLoader(Cached(torch.randn(8, 3, 56, 56), torch.zeros(8), use_bf16=True), batch_size=4)
    for batch in loader:
        batch = {k: v.cuda() for k, v in batch.items()}
        with torch.autocast("cuda", dtype=torch.bfloat16):
            out = model(batch["image"])
    with torch.no_grad():
        for batch in loader:
            batch = {k: v.cuda() for k, v in batch.items()}
            out = model(batch["image"])
    '''
)
BUGGY_FINDINGS = [(19, 15, "BFD002"), (23, 15, "BFD001")]  # (row, column, code), 1-based

# VALID: the same loop with the cast in place.
CLEAN_SCRIPT = textwrap.dedent(
    '''\
    import torch

    model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")
    images = torch.randn(8, 3, 224, 224).to(torch.bfloat16)
    out = model(images.float())
    '''
)

# INVALID in a notebook: BFD001 in cell 3 (cell 1 is markdown).
NOTEBOOK_CELLS = [
    ("markdown", "# Features"),
    ("code", "import torch\nimport timm\nmodel = timm.create_model('resnet50', pretrained=True)"),
    ("code", "images = torch.randn(8, 3, 224, 224, dtype=torch.bfloat16)\nout = model(images)"),
    ("code", "%time print(out.shape)"),
]


def write_notebook(path: Path, cells=NOTEBOOK_CELLS, tags: Optional[dict] = None) -> Path:
    """Write a real nbformat 4 notebook; ``tags`` maps a 1-based cell number to its tags."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    for number, (kind, source) in enumerate(cells, start=1):
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        if tags and number in tags:
            cell.metadata["tags"] = list(tags[number])
        nb.cells.append(cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


class Run:
    def __init__(self, code: int, out: str, err: str):
        self.code = code
        self.out = out
        self.err = err

    def json(self):
        return json.loads(self.out)

    def concise(self) -> List[tuple]:
        """(path, cell or None, row, column, code) for every concise finding line."""
        rows = []
        for line in self.out.splitlines():
            match = CONCISE.match(line)
            if match:
                cell = int(match["cell"]) if match["cell"] else None
                rows.append((match["path"], cell, int(match["row"]), int(match["col"]), match["code"]))
        return rows


CONCISE = re.compile(r"^(?P<path>.+?):(?:cell (?P<cell>\d+):)?(?P<row>\d+):(?P<col>\d+): (?P<code>BFD\d{3}) ")


def run_process(args: Sequence[str], cwd, env: Optional[dict] = None, timeout: int = 300) -> Run:
    completed = subprocess.run(
        list(args), cwd=str(cwd), env=env, capture_output=True, text=True, timeout=timeout
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


def bf16lint_process(*args: str, cwd) -> Run:
    return run_process([sys.executable, "-m", "bf16lint", *args], cwd)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pyproject(directory: Path, body: str) -> Path:
    return write(directory / "pyproject.toml", "[tool.bf16lint]\n" + textwrap.dedent(body))
