"""Minimal fake Documents and rules for the report tests (the real documents are built
elsewhere; reports only rely on units, location(), raw_line(), raw and render())."""
from __future__ import annotations

import json
from typing import Dict, List, Optional, Tuple

import pytest

from bf16lint.documents.base import CodeUnit
from bf16lint.findings import SAFE, UNSAFE, Edit, FileResult, Finding, FixPlan, Location
from bf16lint.rules.base import Rule


class FakeScript:
    kind = "python"

    def __init__(self, path: str, text: str):
        self.path = path
        self.raw = text.encode("utf-8")
        self.units = [CodeUnit(index=0, text=text, start_line=1)]
        self.notes: List[str] = []

    def location(self, line: int, col: int) -> Location:
        return Location(row=line, column=col + 1)

    def raw_line(self, line: int) -> Optional[int]:
        return line

    def render(self, new_texts: Dict[int, str]) -> bytes:
        return new_texts.get(0, self.units[0].text).encode("utf-8")


def _mask(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith(("%", "!")):
        body = line.rstrip("\n")
        indent = len(body) - len(body.lstrip())
        return body[:indent] + "_" * (len(body) - indent) + line[len(body):]
    return line


class FakeNotebook:
    """cells: list of ("code"|"markdown", source text). Serialized like nbformat
    (indent=1, source as a list of lines) unless string_source=True."""

    kind = "notebook"

    def __init__(self, path: str, cells: List[Tuple[str, str]], string_source: bool = False):
        self.path = path
        self.cells = cells
        self.string_source = string_source
        self.notes: List[str] = []
        self.raw = self._serialize({})
        self.units: List[CodeUnit] = []
        self._cell_of_unit: List[int] = []
        line = 1
        for number, (kind, source) in enumerate(cells, start=1):
            if kind != "code":
                continue
            masked = "".join(_mask(l) for l in source.splitlines(True))
            unit = CodeUnit(
                index=len(self.units), text=masked, start_line=line, cell=number, cell_id=f"id{number}"
            )
            self.units.append(unit)
            line += unit.line_count
        self._raw_map = self._map_raw_lines()

    def _sources(self, new_texts: Dict[int, str]) -> List[str]:
        out = [source for _, source in self.cells]
        for index, text in new_texts.items():
            unit = self.units[index]
            original = self.cells[unit.cell - 1][1].splitlines(True)
            masked = [_mask(l) for l in original]
            restored = []
            for l in text.splitlines(True):
                if l in masked and l != original[masked.index(l)]:
                    l = original[masked.index(l)]
                restored.append(l)
            out[unit.cell - 1] = "".join(restored)
        return out

    def _serialize(self, new_texts: Dict[int, str]) -> bytes:
        cells = []
        for (kind, _), source in zip(self.cells, self._sources(new_texts)):
            cell = {"cell_type": kind, "id": f"id{len(cells) + 1}", "metadata": {}}
            cell["source"] = source if self.string_source else source.splitlines(True)
            if kind == "code":
                cell["execution_count"] = None
                cell["outputs"] = []
            cells.append(cell)
        nb = {"cells": cells, "metadata": {"kernelspec": {"language": "python"}},
              "nbformat": 4, "nbformat_minor": 5}
        return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def _map_raw_lines(self) -> Dict[int, int]:
        raw_lines = self.raw.decode("utf-8").split("\n")
        mapping: Dict[int, int] = {}
        pos = 0
        for unit in self.units:
            source = self.cells[unit.cell - 1][1]
            if self.string_source:
                key = '"source": ' + json.dumps(source, ensure_ascii=False)
                while key not in raw_lines[pos]:
                    pos += 1
                for k in range(unit.line_count):
                    mapping[unit.start_line + k] = pos + 1
                continue
            for k, text in enumerate(source.splitlines(True)):
                literal = json.dumps(text, ensure_ascii=False)
                while raw_lines[pos].strip().rstrip(",") != literal:
                    pos += 1
                mapping[unit.start_line + k] = pos + 1
                pos += 1
        return mapping

    def _unit_for(self, line: int) -> CodeUnit:
        for unit in self.units:
            if unit.start_line <= line < unit.start_line + unit.line_count:
                return unit
        raise ValueError(line)

    def location(self, line: int, col: int) -> Location:
        unit = self._unit_for(line)
        return Location(row=line - unit.start_line + 1, column=col + 1, cell=unit.cell, cell_id=unit.cell_id)

    def raw_line(self, line: int) -> Optional[int]:
        return self._raw_map.get(line)

    def render(self, new_texts: Dict[int, str]) -> bytes:
        return self._serialize(new_texts)


def make_rule(code: str, severity: str) -> Rule:
    return Rule(
        code=code,
        name={"BFD001": "bf16-into-fp32-backbone", "BFD002": "bf16-outside-autocast",
              "BFD003": "bf16-model-dtype"}.get(code, code.lower()),
        severity=severity,
        summary=f"summary of {code}",
        what_it_does=f"What {code} does.",
        why_bad="RuntimeError: Input type (c10::BFloat16) and bias type (float) should be the same",
        example="x = model(img.bfloat16())",
        use_instead="x = model(img.bfloat16().float())",
        fix_safety="Safe. The cast only affects the backbone input.",
        references=("https://pytorch.org/docs/stable/amp.html",),
    )


@pytest.fixture
def rules():
    return {
        "BFD001": make_rule("BFD001", "error"),
        "BFD002": make_rule("BFD002", "warning"),
        "BFD003": make_rule("BFD003", "warning"),
    }


def located(document, code, severity, line, col, end_line, end_col, message="msg",
            fix=None, edits=()):
    f = Finding(code=code, message=message, severity=severity, line=line, col=col,
                end_line=end_line, end_col=end_col, fix=fix)
    f.location = document.location(line, col)
    f.end_location = document.location(end_line, end_col)
    f.edits = tuple(edits)
    return f


SCRIPT = (
    "import torch\n"
    "model = torch.hub.load('facebookresearch/dinov2', 'dinov2_vitb14')\n"
    "for batch in loader:\n"
    "    images = batch['image'].to(device)\n"
    "    feats = model(images)\n"
)

NOTEBOOK_CELLS = [
    ("markdown", "# Training\n"),
    ("code", "%matplotlib inline\nimport torch\n"),
    ("code", "model = torch.hub.load('facebookresearch/dinov2', 'dinov2_vitb14')\n"),
    ("markdown", "## Loop\n"),
    ("code", "!nvidia-smi\nfor batch in loader:\n    images = batch['image'].to(device)\n    feats = model(images)  # é\n"),
]


@pytest.fixture
def script_result():
    doc = FakeScript("train.py", SCRIPT)
    fix = FixPlan(kind="insert_cast", applicability=SAFE, title="Cast `images` to float32",
                  target="images", anchor=(4, 4))
    edit = Edit(content="    images = images.float()\n",
                location=Location(row=5, column=1), end_location=Location(row=5, column=1))
    f1 = located(doc, "BFD001", "error", 5, 12, 5, 25,
                 message="bf16 tensor `images` enters float32 backbone `model`", fix=fix, edits=[edit])
    f2 = located(doc, "BFD003", "warning", 2, 0, 2, 67, message="model dtype changed",
                 fix=FixPlan(kind="rewrite_cast", applicability=UNSAFE, title="Use float32"))
    return FileResult(path="train.py", findings=[f1, f2], document=doc)


@pytest.fixture
def notebook_doc():
    return FakeNotebook("nb.ipynb", NOTEBOOK_CELLS)


@pytest.fixture
def notebook_result(notebook_doc):
    doc = notebook_doc
    # cell 5 is the third unit; its line 4 ("    feats = model(images)") is virtual line 7
    unit = doc.units[2]
    vline = unit.start_line + 3
    f = located(doc, "BFD002", "warning", vline, 12, vline, 25, message="bf16 outside autocast",
                fix=FixPlan(kind="insert_cast", applicability=SAFE, title="Cast `images`"),
                edits=[Edit(content="    images = images.float()\n",
                            location=Location(row=4, column=1, cell=5),
                            end_location=Location(row=4, column=1, cell=5))])
    return FileResult(path="nb.ipynb", findings=[f], document=doc, notes=["cell 9: R magic %%R, skipped"])


@pytest.fixture
def fakes():
    """The fake classes and helpers, for tests that build their own documents."""
    import types

    return types.SimpleNamespace(FakeScript=FakeScript, FakeNotebook=FakeNotebook, located=located,
                                 make_rule=make_rule, SCRIPT=SCRIPT, NOTEBOOK_CELLS=NOTEBOOK_CELLS)
