"""Input shapes that must stay linear: notebooks of N cells of one shape each.

    python benchmarks/stress.py [--cells 2000] [--runs 3]

Each shape is a notebook whose first cell builds a DINOv2 backbone and a bf16 batch, then N
cells of the same statement shape. It is timed as a whole `bf16lint` process (start-up
included), the median of --runs, beside the same notebook at N/10 cells: a linear engine
costs about 10x there, a quadratic one 100x. Issue 11's bound: under 2 s at 2,000 cells.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = """import os
import torch
model = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14").cuda().eval()
images = torch.rand(2, 3, 224, 224).cuda().to(torch.bfloat16)
flag = os.environ.get("FLAG") == "1"
"""

SHAPES = {
    # every cell feeds the bf16 batch to the backbone: N findings
    "backbone calls": "out{i} = model(images)\n",
    # an if the analysis cannot decide, in every cell
    "undecided ifs": "if os.environ.get('STEP{i}'):\n    images = images.to('cuda')\nelse:\n    feats{i} = model(images)\n",
    # a loop in every cell
    "loops": "for step in range({i} % 7):\n    out = model(images)\n    images = images.contiguous()\n",
    # a flag tested in every cell: splits are bounded
    "flag tests": "if flag:\n    x{i} = images.float()\nelse:\n    x{i} = images\nout{i} = model(x{i})\n",
}


def notebook(shape: str, cells: int) -> str:
    sources = [HEADER] + [SHAPES[shape].format(i=i) for i in range(cells)]
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
                   "source": src} for i, src in enumerate(sources)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }, indent=1)


def timed(path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bf16lint", str(path), "--output-format", "concise"],
                              capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{path}: exit {proc.returncode}\n{proc.stderr}")
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"| shape | {args.cells // 10} cells (s) | {args.cells} cells (s) | ratio |")
    print("|---|---|---|---|")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for shape in SHAPES:
            row = []
            for cells in (args.cells // 10, args.cells):
                path = Path(tmp) / f"{shape.replace(' ', '_')}_{cells}.ipynb"
                path.write_text(notebook(shape, cells))
                row.append(timed(path, args.runs))
            worst = max(worst, row[1])
            print(f"| {shape} | {row[0]:.2f} | {row[1]:.2f} | {row[1] / row[0]:.1f}x |", flush=True)
    print(f"\nslowest at {args.cells} cells: {worst:.2f} s (bound: 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
