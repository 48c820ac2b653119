"""Shared material for the reliability tests: a small buggy script and its fix, notebook
builders, and two ways to run the real CLI (in-process main() and a subprocess)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

REPO = Path(__file__).resolve().parents[2]

# A bf16 generator feeds a torchvision backbone with no autocast: one BFD001 whose safe
# fix inserts a line after `images = images.cuda()`.
BUGGY = textwrap.dedent(
    """\
    import torch
    import torchvision


    def batches(paths, use_bf16):
        for chunk in paths:
            images = load_images(chunk)
            if use_bf16:
                images = images.bfloat16()
            yield images


    model = torchvision.models.convnext_tiny(weights="DEFAULT").eval().cuda()
    for images in batches(all_paths, use_bf16=True):
        images = images.cuda()
        scores = model(images).softmax(-1)
    """
)
FIXED = BUGGY.replace(
    "    images = images.cuda()\n", "    images = images.cuda()\n    images = images.float()\n"
)
assert FIXED != BUGGY

# Text that passes the byte prefilter (bf16 and backbone evidence), so that a file is
# really read, decoded and parsed rather than skipped as unable to hold the bug.
EVIDENCE = "# torch.bfloat16 torch.hub.load\n"

# The larger example of the repository and its expected fix.
FIXTURE_SCRIPT = REPO / "fixtures" / "scripts" / "train_dinov2_bf16.py"
FIXTURE_FIXED = REPO / "fixtures" / "fixed" / "scripts" / "train_dinov2_bf16.py"
FIXTURE_NOTEBOOK = REPO / "fixtures" / "notebooks" / "train_full_featured.ipynb"
FIXTURE_NOTEBOOK_FIXED = REPO / "fixtures" / "fixed" / "notebooks" / "train_full_featured.ipynb"
EDGE_NOTEBOOKS = REPO / "fixtures" / "notebooks" / "edge"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    def error_for(self, path) -> str:
        """The `PATH: error: REASON` line naming this file (asserts there is one)."""
        name = str(path)
        for line in self.text.splitlines():
            if line.startswith(name + ": error: "):
                return line[len(name) + len(": error: "):]
        raise AssertionError(f"no error line for {name} in:\n{self.text}")


def cli_main(args: Sequence[str], capsys) -> Run:
    """bf16lint.cli.main in-process (one worker, so patches apply to every file)."""
    from bf16lint.cli import main

    capsys.readouterr()
    try:
        code = main(["-j", "1", *args])
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code if isinstance(exit_.code, int) else 2
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def cli_subprocess(args: Sequence[str], cwd=None, timeout: float = 120, env: Optional[Dict[str, str]] = None) -> Run:
    """`python -m bf16lint ARGS` in a fresh interpreter; a hang fails the test."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    done = subprocess.run(
        [sys.executable, "-m", "bf16lint", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.text, run.text


def leftovers(directory) -> List[str]:
    """Temporary files a write may have left behind anywhere under directory."""
    found = []
    for root, _dirs, names in os.walk(directory):
        found.extend(os.path.join(root, n) for n in names if n.endswith(".bf16lint.tmp"))
    return found


# ---------------------------------------------------------------------- notebooks
PYTHON_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def code_cell(source: str, number: int = 0, outputs: Optional[list] = None) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": f"cell-{number}",
        "metadata": {},
        "outputs": outputs or [],
        "source": source.splitlines(True),
    }


def notebook(cells: List[dict], metadata: Optional[dict] = None) -> dict:
    return {
        "cells": cells,
        "metadata": PYTHON_METADATA if metadata is None else metadata,
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_bytes(nb: dict) -> bytes:
    """The way Jupyter writes a notebook: indent 1, sorted keys, raw UTF-8, final newline."""
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def buggy_cells() -> List[dict]:
    """BUGGY as three cells: imports, the generator, the loop."""
    parts = BUGGY.split("\n\n\n")
    return [code_cell(part.strip("\n"), number) for number, part in enumerate(parts)]


def buggy_notebook_bytes() -> bytes:
    return notebook_bytes(notebook(buggy_cells()))


def sources(data: bytes) -> List[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in json.loads(data)["cells"]]
