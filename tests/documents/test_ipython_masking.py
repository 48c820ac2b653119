from __future__ import annotations

import ast

import pytest

from bf16lint.documents.ipython import (
    NotPython,
    RestoreError,
    mask_cell,
    restore_cell,
    split_lines,
)

# (cell source, 0-based lines that must be masked)
CASES = [
    ("%matplotlib inline\nimport torch", [0]),
    ("!pip install -q timm", [0]),
    ("!!nvidia-smi", [0]),
    ("files = !ls data/\nprint(files)", [0]),
    ("gpu = %sx nvidia-smi", [0]),
    ("a[0], b = !ls", [0]),
    ("names: list = %who_ls", [0]),
    ("model?", [0]),
    ("model.forward??", [0]),
    ("?torch.autocast", [0]),
    ("??nn.Linear", [0]),
    ("torch.*float*?", [0]),
    ("%timeit?", [0]),
    (",print a b", [0]),
    (";print a b", [0]),
    ("/print 1", [0]),
    ("pip install torch", [0]),  # automagic in a one-line cell
    ("cd ..", [0]),
    ("%time y = model(x);", [0]),
    ("for step in range(3):\n    %time step\n    !echo hi", [1, 2]),
    ("if cuda:\n    !nvidia-smi\nelse:\n    pass", [1]),
    ("%time \\\n    model(x)", [0, 1]),
    ("!echo a \\\n  b \\\n  c\nx = 1", [0, 1, 2]),
    ("%%time\nx = model(images)\n!echo done", [0, 2]),
    ("\n\n%%capture out\nx = 1", [2]),
    ("%%script python3\nprint(1)", [0]),
]

# IPython-looking text that is Python (or inside Python) and must stay as it is.
UNTOUCHED = [
    "s = '''\n!not a shell line\n%not a magic\n'''",
    "t = (\n    4,\n    %magic_in_brackets\n)",
    "x = 1  # why?\ny = x % 2",
    "ls",  # valid Python: a name
    "ls -la",  # valid Python: a subtraction
    "pip install torch\nx = 1",  # automagic only works in one-line cells
    "cd = 1",
    "y = a if b else c",
    "s = 'a\\\n!b'",
    "print('what?')",
    "x = y != z",
    "x == !y" if False else "x = {'a': 1}",
]


@pytest.mark.parametrize("source, masked", CASES)
def test_masks_exactly_the_ipython_lines(source, masked):
    cell = mask_cell(source)
    assert sorted(cell.originals) == masked
    assert cell.masked_lines == tuple(masked)
    original_lines = split_lines(source)
    masked_lines = split_lines(cell.text)
    assert len(original_lines) == len(masked_lines)
    for number, ((old, old_break), (new, new_break)) in enumerate(zip(original_lines, masked_lines)):
        assert len(old) == len(new), (old, new)  # same length: columns stay exact
        assert old_break == new_break
        assert (old != new) == (number in masked)
        if number in masked:
            assert cell.originals[number] == old
    ast.parse(cell.text)  # the masked cell is Python
    assert restore_cell(cell, cell.text) == source


@pytest.mark.parametrize("source", UNTOUCHED)
def test_leaves_python_alone(source):
    cell = mask_cell(source)
    assert cell.text == source
    assert cell.originals == {}


def test_indentation_kept_so_blocks_stay_statements():
    cell = mask_cell("for i in range(2):\n    !echo hi\n")
    assert cell.text.splitlines()[1].startswith('    "')
    ast.parse(cell.text)


def test_assignment_keeps_its_target():
    cell = mask_cell("files = !ls data/")
    assert cell.text.startswith("files = ")
    assert isinstance(ast.parse(cell.text).body[0], ast.Assign)


def test_trailing_semicolon_and_crlf_kept():
    source = "x = model(images);\r\n%time y;\r\n"
    cell = mask_cell(source)
    assert cell.text.startswith("x = model(images);\r\n")
    assert cell.text.endswith("\r\n")
    assert restore_cell(cell, cell.text) == source


@pytest.mark.parametrize(
    "magic", ["bash", "R", "writefile train.py", "html", "javascript", "sql", "sh", "script bash"]
)
def test_foreign_cell_magics_are_not_python(magic):
    with pytest.raises(NotPython, match="cell magic"):
        mask_cell(f"%%{magic}\necho hi")


@pytest.mark.parametrize(
    "magic", ["time", "timeit -n 3", "capture out", "prun", "python", "python3", "debug"]
)
def test_python_cell_magics_are_linted(magic):
    cell = mask_cell(f"%%{magic}\nx = 1")
    assert cell.originals == {0: f"%%{magic}"}
    assert cell.text.endswith("\nx = 1")


def test_restore_after_inserted_lines():
    source = (
        "!pip install timm\nbatch = {k: v.to(device) for k, v in batch.items()}\n"
        "%time out = model(batch['image'])\n"
    )
    cell = mask_cell(source)
    lines = cell.text.splitlines(True)
    fixed = lines[0] + lines[1] + "batch['image'] = batch['image'].float()\n" + lines[2]
    assert restore_cell(cell, fixed) == (
        "!pip install timm\nbatch = {k: v.to(device) for k, v in batch.items()}\n"
        "batch['image'] = batch['image'].float()\n%time out = model(batch['image'])\n"
    )


def test_restore_when_neighbouring_lines_change():
    source = "x = images.to(device)\n!echo a\ny = model(x)\n%time z = 1\n"
    cell = mask_cell(source)
    fixed = cell.text.replace("x = images.to(device)", "x = images.to(device).float()").replace(
        "y = model(x)", "y = model(x.float())"
    )
    restored = restore_cell(cell, fixed)
    assert restored == "x = images.to(device).float()\n!echo a\ny = model(x.float())\n%time z = 1\n"


def test_restore_when_last_line_gains_a_break():
    source = "x = 1\n!ls"
    cell = mask_cell(source)
    fixed = cell.text + "\nx = x.float()"
    assert restore_cell(cell, fixed) == "x = 1\n!ls\nx = x.float()"


def test_restore_refuses_a_touched_placeholder():
    cell = mask_cell("x = 1\n!pip install timm\n")
    fixed = cell.text.replace('"!!!', '"???')
    with pytest.raises(RestoreError):
        restore_cell(cell, fixed)


def test_restore_refuses_a_deleted_placeholder():
    cell = mask_cell("x = 1\n!pip install timm\ny = 2\n")
    with pytest.raises(RestoreError):
        restore_cell(cell, "x = 1\ny = 2\n")


def test_matches_ipython_own_transformer():
    transformer = pytest.importorskip("IPython.core.inputtransformer2").TransformerManager()
    for source, masked in CASES:
        if (
            source.lstrip().startswith("%%")
            or "\\\n" in source
            or len(source.splitlines()) == 1
            and (source.startswith(("pip", "cd")))
        ):
            continue  # cell magics, continuations and automagic change the line count or run later
        transformed = transformer.transform_cell(source).splitlines()
        original = source.splitlines()
        changed = [i for i, (a, b) in enumerate(zip(original, transformed)) if a != b]
        assert changed == masked, source
    for source in UNTOUCHED:
        if source.splitlines()[0] in ("ls", "ls -la", "pip install torch", "cd = 1"):
            continue
        assert transformer.transform_cell(source).rstrip("\n") == source.rstrip("\n"), source


def test_restore_refuses_code_above_a_cell_magic():
    cell = mask_cell("%%time\nx = 1\n")
    with pytest.raises(RestoreError, match="above the cell magic"):
        restore_cell(cell, "import torch\n" + cell.text)
    assert restore_cell(cell, cell.text + "y = 2\n") == "%%time\nx = 1\ny = 2\n"
