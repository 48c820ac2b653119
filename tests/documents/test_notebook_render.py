"""Writing notebooks back: only the changed cells' source lines may differ."""

from __future__ import annotations

import json
import time
import warnings

import nbformat
import pytest
from edge_notebooks import EDGE_DIR, code, jupyter_bytes, markdown, notebook
from nbformat.v4.rwbase import split_lines
from notebook_diff import changed_lines

from bf16lint.documents import DocumentError
from bf16lint.documents import notebook as notebook_module
from bf16lint.documents.notebook import NotebookDocument

LOADABLE = [
    "magics.ipynb",
    "colab_2space.ipynb",
    "nbformat_4_0_no_ids.ipynb",
    "no_trailing_newline.ipynb",
    "string_source.ipynb",
    "r_kernel.ipynb",
    "out_of_order.ipynb",
]


def load(data: bytes) -> NotebookDocument:
    return NotebookDocument.from_bytes("nb.ipynb", data)


def validate(data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nbformat.validate(nbformat.reads(data.decode("utf-8"), as_version=nbformat.NO_CONVERT))


def insert_after(text: str, anchor_line: str, new_line: str) -> str:
    """A fix's edit: a new line right after the line that starts with anchor_line."""
    lines = text.splitlines(True)
    for number, line in enumerate(lines):
        if line.startswith(anchor_line):
            if not line.endswith("\n"):
                lines[number] = line + "\n"
            indent = line[: len(line) - len(line.lstrip())]
            lines.insert(number + 1, indent + new_line + "\n")
            return "".join(lines)
    raise AssertionError(f"no line starts with {anchor_line!r}")


@pytest.mark.parametrize("name", LOADABLE)
def test_unchanged_fixture_round_trips_byte_identical(name):
    data = (EDGE_DIR / name).read_bytes()
    doc = load(data)
    assert doc.render({}) is doc.raw
    assert doc.render({unit.index: unit.text for unit in doc.units}) == data


def test_unchanged_real_nbformat_notebook_round_trips():
    nb = notebook([markdown("# Training"), code("import torch\n%matplotlib inline"), code("x = 1")])
    data = jupyter_bytes(nb)
    assert load(data).render({0: "import torch\n" + '"%%%%%%%%%%%%%%%%"', 1: "x = 1"}) == data


def test_insert_a_line_changes_only_that_cells_source_lines():
    nb = notebook(
        [
            markdown("# Model"),
            code("import torch\nmodel = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')"),
            code(
                "for batch in loader:\n    batch = {k: v.to(device) for k, v in batch.items()}\n"
                "    out = model(batch['image'])",
                execution_count=7,
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="done\n")],
            ),
            code("print('other cell')"),
        ]
    )
    data = jupyter_bytes(nb)
    doc = load(data)
    unit = doc.units[1]
    fixed = insert_after(unit.text, "    batch = ", "batch['image'] = batch['image'].float()")
    out = doc.render({1: fixed})
    removed, added = changed_lines(data, out)
    assert removed == []
    assert added == ["    \"    batch['image'] = batch['image'].float()\\n\",\n"]
    validate(out)
    new_cells = json.loads(out)["cells"]
    assert "".join(new_cells[2]["source"]) == fixed
    assert new_cells[2]["outputs"] == json.loads(data)["cells"][2]["outputs"]


def test_changing_the_last_line_touches_only_that_item():
    data = jupyter_bytes(notebook([code("images = batch['image'].to(device)\nout = model(images)")]))
    doc = load(data)
    out = doc.render({0: "images = batch['image'].to(device)\nout = model(images.float())"})
    removed, added = changed_lines(data, out)
    assert removed == ['    "out = model(images)"\n']
    assert added == ['    "out = model(images.float())"\n']


def test_appending_after_a_last_line_without_break():
    data = jupyter_bytes(notebook([code("x = 1\ny = model(x)")]))
    doc = load(data)
    out = doc.render({0: "x = 1\ny = model(x)\nz = 2"})
    removed, added = changed_lines(data, out)
    assert removed == ['    "y = model(x)"\n']
    assert added == ['    "y = model(x)\\n",\n', '    "z = 2"\n']
    validate(out)


def test_magics_restored_byte_for_byte_around_a_fix():
    data = (EDGE_DIR / "magics.ipynb").read_bytes()
    doc = load(data)
    unit = next(u for u in doc.units if u.cell == 5)  # the %%capture cell
    assert unit.masked_lines == (0, 3, 4)
    fixed = insert_after(unit.text, "    loss = ", "x = x.float()")
    out = doc.render({unit.index: fixed})
    removed, added = changed_lines(data, out)
    assert removed == []
    assert added == ['    "    x = x.float()\\n",\n']
    source = "".join(json.loads(out)["cells"][4]["source"])
    assert source.startswith("%%capture captured\n")
    assert "    %time loss.backward()\n    !echo step done" in source
    validate(out)


def test_every_magic_cell_restores_after_a_fix_elsewhere_in_it():
    data = (EDGE_DIR / "magics.ipynb").read_bytes()
    doc = load(data)
    for unit in doc.units:
        if unit.cell == 10:
            # Automagic only works in a one-line cell: a second line would break it.
            with pytest.raises(DocumentError, match="cell 10"):
                doc.render({unit.index: unit.text + "\n# checked"})
            continue
        out = doc.render({unit.index: unit.text + "\n# checked"})
        removed, added = changed_lines(data, out)
        original = "".join(json.loads(data)["cells"][unit.cell - 1]["source"])
        assert "".join(json.loads(out)["cells"][unit.cell - 1]["source"]) == original + "\n# checked"
        assert len(removed) <= 1 and len(added) <= 2, unit.cell


def test_colab_two_space_layout_and_ascii_escapes_kept():
    data = (EDGE_DIR / "colab_2space.ipynb").read_bytes()
    doc = load(data)
    unit = doc.units[1]
    fixed = insert_after(unit.text, "images = ", "images = images.float()  # → fp32")
    out = doc.render({unit.index: fixed})
    removed, added = changed_lines(data, out)
    assert removed == []
    assert added == ['        "images = images.float()  # \\u2192 fp32\\n",\n']
    assert not out.endswith(b"\n")
    assert b"donn\\u00e9es" in out  # untouched escapes stay escapes
    validate(out)


def test_raw_utf8_style_kept_for_jupyter_files():
    data = jupyter_bytes(notebook([markdown("température"), code("x = 1  # °C")]))
    doc = load(data)
    out = doc.render({0: "x = 1  # °C\ny = 2  # → ok"})
    assert "→".encode() in out and b"\\u2192" not in out
    removed, added = changed_lines(data, out)
    assert removed == ['    "x = 1  # °C"\n']
    assert added == ['    "x = 1  # °C\\n",\n', '    "y = 2  # → ok"\n']


def test_no_trailing_newline_kept():
    data = (EDGE_DIR / "no_trailing_newline.ipynb").read_bytes()
    doc = load(data)
    out = doc.render({0: doc.units[0].text + "\nx = 1"})
    assert not out.endswith(b"\n") and out.endswith(b"}")
    assert changed_lines(data, out)[0] == ['    "print(torch.__version__)"\n']


def test_string_source_stays_a_string():
    data = (EDGE_DIR / "string_source.ipynb").read_bytes()
    doc = load(data)
    unit = doc.units[1]
    assert unit.text.startswith('"%%%')
    out = doc.render({1: unit.text + "\ny = y.float()"})
    cell = json.loads(out)["cells"][2]
    assert cell["source"] == "%time y = model(torch.randn(2, 4))\ny.dtype\ny = y.float()"
    removed, added = changed_lines(data, out)
    assert len(removed) == 1 and len(added) == 1 and removed[0].lstrip().startswith('"source": "%time')
    validate(out)


def test_nbformat_4_0_file_gets_no_ids():
    data = (EDGE_DIR / "nbformat_4_0_no_ids.ipynb").read_bytes()
    doc = load(data)
    out = doc.render({0: doc.units[0].text + "\nx = x.float()"})
    assert b'"id"' not in out
    validate(out)
    assert changed_lines(data, out)[1] == ['    "x = torch.zeros(3)\\n",\n', '    "x = x.float()"\n']


def test_crlf_json_keeps_crlf():
    data = jupyter_bytes(notebook([code("a = 1\nb = 2")])).replace(b"\n", b"\r\n")
    doc = load(data)
    out = doc.render({0: "a = 1\nb = 2\nc = 3"})
    assert b"\n" not in out.replace(b"\r\n", b"")
    assert out.count(b"\r\n") == data.count(b"\r\n") + 1


def test_compact_json_stays_compact():
    nb = json.loads(nbformat.writes(notebook([code("a = 1\nb = 2")])))
    data = json.dumps(nb).encode()
    doc = load(data)
    out = doc.render({0: "a = 1\nb = 2\nc = 3"})
    assert b'"source": ["a = 1\\n", "b = 2\\n", "c = 3"]' in out
    assert out.replace(b', "b = 2\\n", "c = 3"', b', "b = 2"') == data


def test_single_item_list_holding_the_whole_source():
    nb = json.loads(nbformat.writes(notebook([code("x")])))
    nb["cells"][0]["source"] = ["a = 1\nb = 2\n"]
    data = json.dumps(nb, indent=1).encode()
    out = load(data).render({0: "a = 1\nb = 2\nc = 3\n"})
    assert json.loads(out)["cells"][0]["source"] == ["a = 1\nb = 2\nc = 3\n"]


def test_cell_sources_with_crlf_inside_the_strings():
    data = jupyter_bytes(notebook([code("a = 1\r\nb = 2\r\n")]))
    doc = load(data)
    assert doc.units[0].line_count == 2
    out = doc.render({0: "a = 1\r\nb = 2\r\nc = 3\r\n"})
    assert json.loads(out)["cells"][0]["source"] == ["a = 1\r\n", "b = 2\r\n", "c = 3\r\n"]


def test_touched_placeholder_is_refused():
    data = jupyter_bytes(notebook([code("!pip install timm\nimport torch")]))
    doc = load(data)
    with pytest.raises(DocumentError, match="cell 1: the fix changed masked IPython line 1"):
        doc.render({0: doc.units[0].text.replace('"!!', "'!!", 1)})


def test_unknown_unit_is_refused():
    doc = load(jupyter_bytes(notebook([code("x = 1")])))
    with pytest.raises(DocumentError, match="no code unit 3"):
        doc.render({3: "y = 2"})


def test_a_restore_that_gives_the_same_source_writes_nothing():
    data = jupyter_bytes(notebook([code("!ls\nx = 1")]))
    doc = load(data)
    assert doc.render({0: doc.units[0].text}) is doc.raw


def test_broken_serialisation_is_caught(monkeypatch):
    data = jupyter_bytes(notebook([code("x = 1"), code("y = 2")]))
    doc = load(data)
    monkeypatch.setattr(notebook_module._json_layout, "render_source", lambda *args: '"oops"')
    with pytest.raises(DocumentError, match="internal error"):
        doc.render({0: "x = 2"})


def test_result_that_no_longer_validates_is_refused(monkeypatch):
    data = jupyter_bytes(notebook([code("x = 1")]))
    doc = load(data)
    real = notebook_module._validation_problem
    monkeypatch.setattr(
        notebook_module, "_validation_problem", lambda text: "bad cell" if "x = 2" in text else real(text)
    )
    with pytest.raises(DocumentError, match="does not validate: bad cell"):
        doc.render({0: "x = 2"})


def test_an_already_invalid_notebook_can_still_be_fixed():
    nb = json.loads(nbformat.writes(notebook([code("x = 1")])))
    nb["unexpected_top_level_key"] = True  # the v4 schema forbids it
    data = json.dumps(nb, indent=1).encode()
    out = load(data).render({0: "x = 2"})
    assert json.loads(out)["unexpected_top_level_key"] is True


def test_duplicate_source_keys_follow_json_loads():
    text = (
        '{"cells": [{"cell_type": "code", "execution_count": null, "id": "a", "metadata": {}, "outputs": [],'
        ' "source": ["old"], "source": ["x = 1"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    doc = load(text.encode())
    assert doc.units[0].text == "x = 1"
    out = doc.render({0: "x = 2"})
    assert out.decode() == text.replace('["x = 1"]', '["x = 2"]')


def test_many_cells_and_huge_outputs_stay_fast():
    image = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo" * 500_000})
    cells = [code(f"x{n} = {n}\n!echo {n}") for n in range(5000)]
    cells[10]["outputs"] = [image]
    # nbformat's own layout, without its (slow) validation of 5,000 cells on write.
    as_lists = split_lines(notebook(cells))
    data = (json.dumps(as_lists, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    started = time.perf_counter()
    doc = load(data)
    assert len(doc.units) == 5000 and doc.units[-1].start_line == 9999
    assert all(doc.raw_line(unit.start_line) for unit in doc.units[::50])
    out = doc.render({4999: doc.units[4999].text + "\ny = 1"})
    elapsed = time.perf_counter() - started
    removed, added = changed_lines(data, out)
    assert removed == ['    "!echo 4999"\n']
    assert added == ['    "!echo 4999\\n",\n', '    "y = 1"\n']
    assert elapsed < 20


def test_nbformat_validation_is_real():
    valid = jupyter_bytes(notebook([code("x = 1")])).decode()
    assert notebook_module._validation_problem(valid) is None
    broken = json.loads(valid)
    del broken["cells"][0]["outputs"]
    assert "outputs" in notebook_module._validation_problem(json.dumps(broken))
