from __future__ import annotations

from bf16lint.report import unified_diff
from bf16lint.report.diff import unified_diff as direct


def test_lazy_export():
    assert unified_diff is direct


def test_script_diff(fakes):
    doc = fakes.FakeScript("train.py", fakes.SCRIPT)
    new = fakes.SCRIPT.replace(
        "    feats = model(images)\n", "    images = images.float()\n    feats = model(images)\n")
    out = unified_diff(doc, {0: new})
    lines = out.splitlines()
    assert lines[0] == "--- train.py"
    assert lines[1] == "+++ train.py"
    assert lines[2].startswith("@@ ")
    assert "+    images = images.float()" in lines
    assert sum(1 for l in lines if l.startswith("+") and not l.startswith("+++")) == 1
    assert unified_diff(doc, {0: fakes.SCRIPT}) == ""
    assert unified_diff(doc, {}) == ""


def test_script_diff_no_trailing_newline(fakes):
    doc = fakes.FakeScript("a.py", "x = 1\ny = 2")
    out = unified_diff(doc, {0: "x = 1\ny = 3"})
    assert "-y = 2\n\\ No newline at end of file\n+y = 3\n\\ No newline at end of file\n" in out


def test_notebook_diff_per_cell_with_magics(fakes):
    doc = fakes.FakeNotebook("nb.ipynb", fakes.NOTEBOOK_CELLS)
    loop = doc.units[2]
    assert loop.cell == 5
    new_loop = loop.text.replace(
        "    feats = model(images)", "    images = images.float()\n    feats = model(images)")
    first = doc.units[0]
    new_first = first.text + "import torchvision\n"
    out = unified_diff(doc, {2: new_loop, 0: new_first})
    lines = out.splitlines()
    assert lines[0] == "--- nb.ipynb:cell 2"
    assert lines[1] == "+++ nb.ipynb:cell 2"
    assert "+import torchvision" in lines
    assert " %matplotlib inline" in lines  # the magic as written, not masked
    i = lines.index("--- nb.ipynb:cell 5")
    assert lines[i - 1] == ""  # cells separated by a blank line
    assert lines[i + 1] == "+++ nb.ipynb:cell 5"
    assert " !nvidia-smi" in lines
    assert "+    images = images.float()" in lines
    assert not any("____" in l for l in lines)


def test_notebook_diff_falls_back_to_unit_text(fakes):
    doc = fakes.FakeNotebook("nb.ipynb", fakes.NOTEBOOK_CELLS)

    def broken(new_texts):
        raise RuntimeError("no render")

    doc.render = broken
    loop = doc.units[2]
    out = unified_diff(doc, {2: loop.text + "print(1)\n"})
    assert out.splitlines()[0] == "--- nb.ipynb:cell 5"
    assert "+print(1)" in out
