"""Property tests: random notebooks and scripts survive reading and writing."""

from __future__ import annotations

import ast
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from notebook_diff import changed_lines

from bf16lint.documents.ipython import mask_cell, restore_cell, split_lines
from bf16lint.documents.notebook import NotebookDocument
from bf16lint.documents.python import PythonDocument

PYTHON_LINES = [
    "import torch",
    "x = torch.ones(2)",
    "y = model(x);",
    "if cuda:",
    "    x = x.cuda()",
    "for batch in loader:",
    "    out = model(batch['image'])",
    "s = '''",
    "!inside a string",
    "'''",
    "t = (",
    "    1,",
    ")",
    "# température → °C",
    "",
]
IPYTHON_LINES = [
    "%matplotlib inline",
    "!pip install timm",
    "files = !ls",
    "r = %time f()",
    "model?",
    "?torch.nn",
    "    %time step()",
    "    !echo hi",
    "%time \\",
]

lines = st.sampled_from(PYTHON_LINES + IPYTHON_LINES)
sources = st.lists(lines, min_size=1, max_size=8).map("\n".join)
# A cell that ends in a backslash would join a line appended to it (IPython joins it too).
joinable_sources = sources.filter(lambda source: not source.rstrip().endswith("\\"))
cell_magic = st.sampled_from(["", "", "%%time\n", "%%capture out\n", "%%bash\n"])
cells = st.lists(
    st.tuples(st.sampled_from(["code", "code", "markdown"]), cell_magic, joinable_sources, st.booleans()),
    min_size=1,
    max_size=6,
)
styles = st.sampled_from(["jupyter", "colab", "compact", "string"])


def build(cell_specs, style) -> bytes:
    nb_cells = []
    for number, (kind, magic, source, trailing) in enumerate(cell_specs):
        text = (magic if kind == "code" else "") + source + ("\n" if trailing else "")
        cell = {"cell_type": kind, "id": f"c{number}", "metadata": {}, "source": text}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        if style != "string":
            cell["source"] = text.splitlines(True)
        nb_cells.append(cell)
    nb = {
        "cells": nb_cells,
        "metadata": {"kernelspec": {"language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    if style == "jupyter":
        return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    if style == "colab":
        return json.dumps(nb, indent=2).encode()
    if style == "compact":
        return json.dumps(nb).encode()
    return json.dumps(nb, indent=1, ensure_ascii=False).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources)
def test_masking_keeps_lengths_and_restores(source):
    cell = mask_cell(source)
    for (old, old_break), (new, new_break) in zip(split_lines(source), split_lines(cell.text)):
        assert len(old) == len(new) and old_break == new_break
    assert restore_cell(cell, cell.text) == source


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells, styles)
def test_unchanged_notebooks_round_trip(cell_specs, style):
    data = build(cell_specs, style)
    doc = NotebookDocument.from_bytes("nb.ipynb", data)
    assert doc.render({u.index: u.text for u in doc.units}) == data
    start = 1
    for unit in doc.units:
        assert unit.start_line == start
        start += unit.line_count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells, styles, st.data())
def test_appending_a_line_changes_only_that_cell(cell_specs, style, data):
    raw = build(cell_specs, style)
    doc = NotebookDocument.from_bytes("nb.ipynb", raw)
    if not doc.units:
        return
    unit = data.draw(st.sampled_from(doc.units))
    separator = "" if unit.text.endswith("\n") else "\n"
    out = doc.render({unit.index: unit.text + separator + "x = x.float()\n"})
    old_nb, new_nb = json.loads(raw), json.loads(out)
    for position, (old_cell, new_cell) in enumerate(zip(old_nb["cells"], new_nb["cells"])):
        if position == unit.cell - 1:
            old_source = "".join(old_cell["source"])
            assert "".join(new_cell["source"]) == old_source + separator + "x = x.float()\n"
            assert type(new_cell["source"]) is type(old_cell["source"])
            new_cell["source"] = old_cell["source"]
    assert new_nb == old_nb
    if style in ("jupyter", "colab"):
        removed, added = changed_lines(raw, out)
        assert len(removed) <= 1 and 1 <= len(added) <= 2


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab =\r\n\t#é()"), max_size=60), st.sampled_from(["utf-8", "latin-1"])
)
def test_scripts_round_trip(text, encoding):
    prefix = "# coding: latin-1\n" if encoding == "latin-1" else ""
    data = (prefix + text).encode(encoding)
    doc = PythonDocument.from_bytes("t.py", data)
    assert doc.render({}) == data
    assert doc.render({0: doc.units[0].text + "x = 1\n"}) == data + b"x = 1\n"


def test_masked_units_parse_when_the_python_does():
    source = "%time \\\n    f()\nif a:\n    !ls\nelse:\n    x = !pwd\n"
    ast.parse(mask_cell(source).text)
