"""Reading notebooks: units, cell numbers, the virtual layout, positions, bad input."""

from __future__ import annotations

import ast
import json

import pytest
from edge_notebooks import code, jupyter_bytes, markdown, notebook

from bf16lint.documents import DocumentError, load_document
from bf16lint.documents.notebook import NotebookDocument
from bf16lint.findings import Location


def load(data: bytes) -> NotebookDocument:
    return NotebookDocument.from_bytes("nb.ipynb", data)


def test_units_are_code_cells_in_file_order_numbered_over_all_cells():
    nb = notebook(
        [markdown("# Title"), code("import torch"), markdown("text"), code("x = torch.ones(2)\ny = x")]
    )
    doc = load(jupyter_bytes(nb))
    assert doc.kind == "notebook"
    assert [(u.index, u.cell, u.cell_id) for u in doc.units] == [(0, 2, "cell-02"), (1, 4, "cell-04")]
    assert [u.text for u in doc.units] == ["import torch", "x = torch.ones(2)\ny = x"]


def test_units_are_laid_end_to_end():
    nb = notebook([code("a = 1\nb = 2"), code("c = 3\n"), code("d = 4\ne = 5\nf = 6")])
    doc = load(jupyter_bytes(nb))
    assert [u.start_line for u in doc.units] == [1, 3, 4]
    assert [u.line_count for u in doc.units] == [2, 1, 3]
    for previous, unit in zip(doc.units, doc.units[1:]):
        assert unit.start_line == previous.start_line + previous.line_count
    virtual = doc.virtual_source()
    assert virtual == "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6"
    tree = ast.parse(virtual)
    assert [node.lineno for node in tree.body] == [1, 2, 3, 4, 5, 6]


def test_empty_code_cells_have_no_unit():
    doc = load(jupyter_bytes(notebook([code(""), code("x = 1")])))
    assert [(u.cell, u.start_line) for u in doc.units] == [(2, 1)]


def test_location_maps_virtual_lines_to_cell_rows():
    nb = notebook([markdown("m"), code("a = 1\nb = 2"), code("model(x)")])
    doc = load(jupyter_bytes(nb))
    assert doc.location(2, 0) == Location(row=2, column=1, cell=2, cell_id="cell-02")
    assert doc.location(3, 4) == Location(row=1, column=5, cell=3, cell_id="cell-03")
    assert doc.unit_at(3) is doc.units[1]
    assert doc.unit_at(4) is None
    assert doc.location(4, 0).cell == 3  # an end position just past the last line


def test_raw_line_points_into_the_json():
    nb = notebook([markdown("m"), code("import torch\nx = torch.ones(2)\ny = x.float()")])
    data = jupyter_bytes(nb)
    doc = load(data)
    lines = data.decode().splitlines()
    for virtual, expected in [
        (1, '"import torch\\n",'),
        (2, '"x = torch.ones(2)\\n",'),
        (3, '"y = x.float()"'),
    ]:
        assert lines[doc.raw_line(virtual) - 1].strip() == expected
    assert doc.raw_line(99) is None


def test_raw_line_for_string_source_is_the_string_line(edge_dir):
    data = (edge_dir / "string_source.ipynb").read_bytes()
    doc = load(data)
    lines = data.decode().splitlines()
    second = doc.units[0].start_line + 1
    assert lines[doc.raw_line(second) - 1].strip().startswith('"source": "import torch\\nmodel')


def test_raw_line_when_list_items_are_not_lines():
    data = json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {
                    "cell_type": "code",
                    "id": "a",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": ["a = 1\nb = 2\n", "c = ", "3\n", "d = 4"],
                }
            ],
        },
        indent=1,
    ).encode()
    doc = load(data)
    lines = data.decode().splitlines()
    assert doc.units[0].line_count == 4
    assert lines[doc.raw_line(2) - 1].strip().startswith('"a = 1')
    assert lines[doc.raw_line(3) - 1].strip().startswith('"c = "')
    assert lines[doc.raw_line(4) - 1].strip().startswith('"d = 4"')


def test_masked_lines_are_reported_on_the_unit():
    doc = load(jupyter_bytes(notebook([code("!nvidia-smi\nimport torch\n%time x = 1")])))
    assert doc.units[0].masked_lines == (0, 2)
    ast.parse(doc.units[0].text)


def test_nbformat_4_0_has_no_cell_ids(edge_dir):
    doc = load((edge_dir / "nbformat_4_0_no_ids.ipynb").read_bytes())
    assert [(u.cell, u.cell_id) for u in doc.units] == [(2, None), (3, None)]


def test_colab_ids_in_metadata_are_not_cell_ids(edge_dir):
    doc = load((edge_dir / "colab_2space.ipynb").read_bytes())
    assert [(u.cell, u.cell_id) for u in doc.units] == [(2, None), (3, None)]
    assert "données" in doc.units[1].text


def test_r_kernel_notebook_is_skipped_with_a_note(edge_dir):
    doc = load_document(str(edge_dir / "r_kernel.ipynb"))
    assert doc.units == []
    assert doc.notes == ["kernel language R is not Python: notebook skipped"]


def test_language_info_alone_decides_too():
    nb = notebook([code("println(1)")], metadata={"language_info": {"name": "julia"}})
    doc = load(jupyter_bytes(nb))
    assert doc.units == [] and "julia" in doc.notes[0]


def test_python_kernels_in_their_spellings():
    for language in ("python", "Python", "python3", "ipython3", "python3.11"):
        nb = notebook(
            [code("x = 1")], metadata={"kernelspec": {"language": language, "name": "k", "display_name": "k"}}
        )
        assert len(load(jupyter_bytes(nb)).units) == 1, language


def test_skipped_cells_leave_notes(edge_dir):
    doc = load((edge_dir / "magics.ipynb").read_bytes())
    assert doc.notes == [
        "cell 8: %%bash cell magic is not Python, skipped",
        "cell 9: %%writefile cell magic is not Python, skipped",
        "cell 13: %%R cell magic is not Python, skipped",
        "cell 16: VS Code language sql is not Python, skipped",
    ]
    linted = [u.cell for u in doc.units]
    assert 8 not in linted and 16 not in linted and 17 in linted
    for unit in doc.units:
        ast.parse(unit.text)  # every masked cell is Python


def test_out_of_order_cells_stay_in_file_order(edge_dir):
    doc = load((edge_dir / "out_of_order.ipynb").read_bytes())
    assert [u.cell for u in doc.units] == [2, 3, 4]
    assert doc.units[2].text == "print(x.dtype)"


@pytest.mark.parametrize(
    "name, reason",
    [
        ("invalid_json.ipynb", r"invalid JSON at line 12 column 4: Expecting ',' delimiter"),
        ("truncated.ipynb", r"invalid JSON at line \d+ column \d+: .*truncated"),
        ("wrong_schema.ipynb", "cell 2 source is a number, not a string or a list of strings"),
        ("nbformat_3.ipynb", "nbformat 3 is not supported, only nbformat 4"),
    ],
)
def test_bad_notebooks_raise_a_clear_error(edge_dir, name, reason):
    path = str(edge_dir / name)
    with pytest.raises(DocumentError, match=reason) as caught:
        load_document(path)
    assert caught.value.path == path


@pytest.mark.parametrize(
    "payload, reason",
    [
        ([1, 2], "the JSON is a list, not an object"),
        ({"cells": []}, "no nbformat version"),
        ({"nbformat": "4", "cells": []}, "nbformat is a string"),
        ({"nbformat": 5, "cells": []}, "nbformat 5 is newer"),
        ({"nbformat": 4, "metadata": {}}, "no 'cells' list"),
        ({"nbformat": 4, "cells": {"a": 1}}, "'cells' is an object, not a list"),
        ({"nbformat": 4, "cells": ["x = 1"]}, "cell 1 is a string, not an object"),
        ({"nbformat": 4, "cells": [{"source": "x"}]}, "cell 1 has no cell_type"),
        ({"nbformat": 4, "cells": [{"cell_type": "code"}]}, "cell 1 has no source"),
        (
            {"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a", 3]}]},
            "cell 1 source line 2 is a number",
        ),
        ({"nbformat": 4, "cells": [{"cell_type": "code", "source": None}]}, "cell 1 source is null"),
    ],
)
def test_wrong_schema(payload, reason):
    with pytest.raises(DocumentError, match=reason):
        load(json.dumps(payload).encode())


def test_not_utf8_and_empty():
    with pytest.raises(DocumentError, match="not UTF-8"):
        load(b'{"nbformat": 4, "cells": [], "x": "\xff"}')
    with pytest.raises(DocumentError, match="empty file"):
        load(b"  \n")


def test_deep_json_is_an_error_not_a_crash():
    with pytest.raises(DocumentError):
        load(b"[" * 100000 + b"]" * 100000)


def test_a_bom_is_accepted_and_kept():
    data = b"\xef\xbb\xbf" + jupyter_bytes(notebook([code("x = 1")]))
    doc = load(data)
    assert doc.render({}) == data
    assert doc.render({0: "x = 2"}).startswith(b"\xef\xbb\xbf{")


def test_reading_does_not_import_nbformat():
    import subprocess
    import sys

    script = (
        "import sys, json\n"
        "from bf16lint.documents import load_document\n"
        "doc = load_document(sys.argv[1])\n"
        "doc.location(1, 0); doc.raw_line(1)\n"
        "assert 'nbformat' not in sys.modules, 'nbformat imported on the lint path'\n"
    )
    from edge_notebooks import EDGE_DIR

    subprocess.run([sys.executable, "-c", script, str(EDGE_DIR / "magics.ipynb")], check=True)
