"""The edge-case notebooks in fixtures/notebooks/edge/, built the way real tools write them.

Jupyter files come from nbformat (indent 1, sorted keys, raw UTF-8, a final newline);
Colab files from json.dumps(indent=2) (key order as Colab writes it, \\uXXXX escapes,
no final newline). Run this file to write the fixtures again:

    python tests/documents/edge_notebooks.py

test_edge_fixtures.py checks the stored files still match what this module builds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Optional

import nbformat
from nbformat import v4

EDGE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "notebooks" / "edge"

PYTHON_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "version": "3.11.7"},
}


def jupyter_bytes(nb) -> bytes:
    """What Jupyter (nbformat.write) puts on disk."""
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def colab_bytes(nb: dict) -> bytes:
    """What Colab puts on disk: 2-space indent, ASCII escapes, no final newline."""
    return json.dumps(nb, indent=2).encode("utf-8")


def notebook(cells: List, metadata: Optional[dict] = None, minor: int = 5):
    nb = v4.new_notebook()
    nb.metadata = dict(PYTHON_METADATA if metadata is None else metadata)
    nb.nbformat_minor = minor
    for number, cell in enumerate(cells, start=1):
        if minor >= 5:
            cell["id"] = f"cell-{number:02d}"
        else:
            cell.pop("id", None)
        nb.cells.append(cell)
    return nb


def code(source: str, **fields):
    cell = v4.new_code_cell(source)
    cell.update(fields)
    return cell


def markdown(source: str):
    return v4.new_markdown_cell(source)


MAGIC_CELLS = [
    markdown("# IPython syntax of every kind\nEach code cell below mixes magics with PyTorch code."),
    code("%load_ext autoreload\n%autoreload 2\n%matplotlib inline\nimport torch\nimport torch.nn as nn"),
    code(
        "!pip install -q timm\n!!nvidia-smi\nfiles = !ls data/\ngpu_info = %sx nvidia-smi --list-gpus\n"
        "print(files, gpu_info);"
    ),
    code("%%time\nmodel = nn.Linear(8, 2)\nx = torch.randn(4, 8)\nout = model(x)"),
    code(
        "%%capture captured\nfor step in range(3):\n    loss = model(x).sum()\n    %time loss.backward()\n"
        "    !echo step done"
    ),
    code("model?"),
    code("nn.Linear??\n?torch.autocast\ntorch.*float*?"),
    code("%%bash\nnvidia-smi --query-gpu=name --format=csv"),
    code("%%writefile train.py\nimport torch\nprint(torch.__version__)"),
    code("pip install torch"),
    code("%%timeit -n 3\nwith torch.no_grad():\n    model(x)"),
    code(
        "%env CUDA_VISIBLE_DEVICES=0\nif torch.cuda.is_available():\n    %time torch.cuda.synchronize()\n"
        "else:\n    !echo no gpu\nnotes = '''\n!not a shell line, a string\n'''\nshape = (\n    4,\n    8,\n)\n"
        "x.float();"
    ),
    code("%%R\nx <- c(1, 2, 3)\nmean(x)"),
    code(",print images labels\n/print 1"),
    code("%time \\\n    model(x)"),
    code("SELECT * FROM runs WHERE bf16 = 1", metadata={"vscode": {"languageId": "sql"}}),
    code("%%script python3\nimport torch\nprint(torch.ones(2).dtype)"),
    code("%%python\nprint('a separate Python process')"),
    code("%%prun -s cumulative\nmodel(x).sum().backward()"),
]


def out_of_order_cells() -> List:
    stream = v4.new_output("stream", name="stdout", text="torch.float32\n")
    result = v4.new_output("execute_result", data={"text/plain": "tensor([2., 2.])"}, execution_count=2)
    return [
        markdown("Cells run in the order 1, 3, 2 (see the execution counts)."),
        code("import torch\nx = torch.ones(2)", execution_count=1),
        code("x = x * 2\nx", execution_count=3, outputs=[result]),
        code("print(x.dtype)", execution_count=2, outputs=[stream]),
    ]


def colab_notebook() -> dict:
    """A Colab file as Colab writes it: ids in cell metadata, nbformat 4.0, 2 spaces."""

    def cell(cell_id: str, source: List[str], outputs: Optional[list] = None) -> dict:
        return {
            "cell_type": "code",
            "source": source,
            "metadata": {"id": cell_id},
            "execution_count": None,
            "outputs": outputs or [],
        }

    return {
        "nbformat": 4,
        "nbformat_minor": 0,
        "metadata": {
            "colab": {"provenance": [], "gpuType": "T4"},
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python"},
            "accelerator": "GPU",
        },
        "cells": [
            {
                "cell_type": "markdown",
                "source": ["# Entraînement — température °C"],
                "metadata": {"id": "a1b2c3"},
            },
            cell("d4e5f6", ["!nvidia-smi\n", "import torch\n", "device = torch.device('cuda')"]),
            cell(
                "g7h8i9",
                [
                    "# données normalisées → float\n",
                    "images = torch.rand(2, 3, 8, 8, device=device)\n",
                    "images.mean()",
                ],
                outputs=[{"output_type": "stream", "name": "stdout", "text": ["ok ✓\n"]}],
            ),
        ],
    }


def string_source_bytes() -> bytes:
    """Sources stored as single strings (nbformat accepts both; some tools write this)."""
    nb = notebook(
        [
            markdown("String sources"),
            code("import torch\nmodel = torch.nn.Linear(4, 4)\n"),
            code("%time y = model(torch.randn(2, 4))\ny.dtype"),
        ]
    )
    as_dict = json.loads(nbformat.writes(nb))
    for cell in as_dict["cells"]:
        cell["source"] = "".join(cell["source"])
    return (json.dumps(as_dict, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def r_kernel_bytes() -> bytes:
    metadata = {
        "kernelspec": {"display_name": "R", "language": "R", "name": "ir"},
        "language_info": {"name": "R", "version": "4.3.1"},
    }
    return jupyter_bytes(
        notebook([code("library(torch)\nx <- torch_randn(2, 3)"), code("%%time\nprint(x)")], metadata)
    )


def build_all() -> Dict[str, bytes]:
    files = {
        "magics.ipynb": jupyter_bytes(notebook(MAGIC_CELLS)),
        "colab_2space.ipynb": colab_bytes(colab_notebook()),
        "nbformat_4_0_no_ids.ipynb": jupyter_bytes(
            notebook(
                [
                    markdown("nbformat 4.0: no cell ids"),
                    code("import torch\nx = torch.zeros(3)"),
                    code("x.sum()"),
                ],
                minor=0,
            )
        ),
        "no_trailing_newline.ipynb": nbformat.writes(
            notebook([code("import torch\nprint(torch.__version__)"), code("%ls")])
        ).encode("utf-8"),
        "string_source.ipynb": string_source_bytes(),
        "r_kernel.ipynb": r_kernel_bytes(),
        "out_of_order.ipynb": jupyter_bytes(notebook(out_of_order_cells())),
    }
    valid = files["nbformat_4_0_no_ids.ipynb"].decode("utf-8")
    files["invalid_json.ipynb"] = valid.replace('"cell_type": "code",', '"cell_type": "code"', 1).encode(
        "utf-8"
    )
    files["truncated.ipynb"] = valid[: len(valid) // 2].encode("utf-8")
    wrong = json.loads(valid)
    wrong["cells"][1]["source"] = 42
    files["wrong_schema.ipynb"] = (json.dumps(wrong, indent=1, sort_keys=True) + "\n").encode("utf-8")
    files["nbformat_3.ipynb"] = (
        json.dumps(
            {
                "metadata": {"name": "old"},
                "nbformat": 3,
                "nbformat_minor": 0,
                "worksheets": [
                    {"cells": [{"cell_type": "code", "input": "import torch", "language": "python"}]}
                ],
            },
            indent=1,
        )
        + "\n"
    ).encode("utf-8")
    return files


def main() -> None:
    EDGE_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(build_all().items()):
        (EDGE_DIR / name).write_bytes(data)
        print(f"wrote {EDGE_DIR / name}")


if __name__ == "__main__":
    main()
