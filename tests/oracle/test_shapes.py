"""Every snippet of ../shared/spec/SHAPES.md as a program (tests/oracle/shapes/), checked three ways:

(a) the oracle labels it as SHAPES.md says (must hold for every snippet);
(b) the linter agrees with that label (strict xfail where today's linter does not: the
    reason names the SHAPES mechanism, so the rebuild turns them green one by one);
(c) for each positive, the program after plain --fix (the engine's fix, in-process) runs
    clean under the oracle (strict xfail where it does not).

Each program ends with a label block (kept last so line numbers match SHAPES.md):
`# shape: A1`, `# label: BFD001 at line 19` or `# label: quiet`, optional `# argv: --flag`,
and `# adapted: ...`. All programs are labelled in one oracle call.
"""
from __future__ import annotations

import importlib.util
import pathlib
import re
import shlex
from dataclasses import dataclass
from typing import Optional, Tuple

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="the oracle needs torch")

SHAPES_DIR = pathlib.Path(__file__).parent / "shapes"
LABEL = re.compile(r"^# label: (?:(?P<code>BFD\d{3}) at line (?P<line>\d+)|(?P<quiet>quiet))\s*$", re.M)
SHAPE = re.compile(r"^# shape: (?P<id>[A-J]\d)\s*$", re.M)
ARGV = re.compile(r"^# argv: (?P<argv>.*)$", re.M)


@dataclass(frozen=True)
class Shape:
    id: str  # "A1"
    file: str  # "a1_argparse_ckpt.py"
    text: str
    code: Optional[str]  # "BFD001", or None for quiet
    line: Optional[int]  # the report site SHAPES.md names
    argv: Tuple[str, ...]


def load_shapes():
    shapes = []
    for path in sorted(SHAPES_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        label, shape, argv = LABEL.search(text), SHAPE.search(text), ARGV.search(text)
        assert label and shape, f"{path.name}: no label block"
        shapes.append(Shape(
            shape["id"], path.name, text, label["code"], int(label["line"]) if label["line"] else None,
            tuple(shlex.split(argv["argv"])) if argv else (),
        ))
    return shapes


SHAPES = load_shapes()
POSITIVES = [s for s in SHAPES if s.code]

# (b) where today's linter disagrees with the label: shape id -> the SHAPES.md mechanism.
# Gone since the rebuild began: A (config values), B (open_clip precision), D (container
# mutation), E (dtype predicates), F3 (default_factory), G (deepcopy), H (enabled=False).
LINTER_GAPS = {}

# (c) positives whose program after plain --fix does not run clean today: id -> why.
FIX_GAPS = {}


def _program(shape: Shape, text: Optional[str] = None):
    from oracle import Program

    return Program({shape.file: shape.text if text is None else text}, shape.file, argv=shape.argv,
                   name=f"{shape.id} {shape.file}")


def _lint(shape: Shape):
    from bf16lint.documents import load_document
    from bf16lint.engine import LintOptions, lint_document

    return lint_document(load_document(shape.file, shape.text.encode("utf-8")), LintOptions()).findings


def _fixed_text(shape: Shape) -> str:
    """The program after plain `bf16lint --fix` (safe fixes only), or the original."""
    from bf16lint.documents import load_document
    from bf16lint.engine import LintOptions, fix_document

    _, new_bytes, _ = fix_document(load_document(shape.file, shape.text.encode("utf-8")), LintOptions())
    return shape.text if new_bytes is None else new_bytes.decode("utf-8")


@pytest.fixture(scope="module")
def labels():
    """Every shape's label and every positive's label after --fix, from one oracle call."""
    from oracle import label_programs

    programs = [_program(s) for s in SHAPES] + [_program(s, _fixed_text(s)) for s in POSITIVES]
    found = label_programs(programs, jobs=2, timeout=60.0)
    original = {s.id: label for s, label in zip(SHAPES, found)}
    fixed = {s.id: label for s, label in zip(POSITIVES, found[len(SHAPES):])}
    return original, fixed


def _describe(label) -> str:
    frames = ", ".join(f"{f.file}:{f.line}" for f in label.frames)
    return f"{label.code} [{frames}] normal={label.verdict.status}/{label.verdict.direction} {label.verdict.message[:160]}"


def _sites(shape: Shape, label):
    """Acceptable report sites: the frames of the crash in this file, and the SHAPES.md line."""
    sites = {f.line for f in label.frames if f.file == shape.file and f.cell is None}
    return sites | ({shape.line} if shape.line else set())


def _ids(shapes):
    return [f"{s.id}-{s.file[:-3]}" for s in shapes]


def test_every_snippet_of_shapes_md_has_a_program():
    expected = {f"{letter}{n}" for letter, count in zip("ABCDEFGHIJ", (4, 3, 4, 5, 5, 4, 3, 3, 3, 1))
                for n in range(1, count + 1)}
    assert {s.id for s in SHAPES} == expected
    assert len({s.id for s in SHAPES}) == len(SHAPES)


@pytest.mark.parametrize("shape", SHAPES, ids=_ids(SHAPES))
def test_oracle_labels_as_shapes_says(shape, labels):
    label = labels[0][shape.id]
    assert label.code == shape.code, _describe(label)
    if shape.code:
        assert any(f.file == shape.file and f.line == shape.line for f in label.frames), _describe(label)
        assert label.verdict.direction == "bf16_input", _describe(label)


def _linter_param(shape):
    marks = pytest.mark.xfail(strict=True, reason=LINTER_GAPS[shape.id]) if shape.id in LINTER_GAPS else ()
    return pytest.param(shape, marks=marks, id=_ids([shape])[0])


@pytest.mark.parametrize("shape", [_linter_param(s) for s in SHAPES])
def test_linter_agrees_with_the_label(shape, labels):
    label = labels[0][shape.id]
    found = [(f.code, f.line) for f in _lint(shape)]
    reported = [(code, line) for code, line in found if code in ("BFD001", "BFD002")]
    if shape.code is None:
        assert not reported, f"label quiet, linter {found}"
    else:
        sites = _sites(shape, label)
        assert any(code == shape.code and line in sites for code, line in found), \
            f"label {shape.code} at {sorted(sites)}, linter {found}"


def _fix_param(shape):
    marks = pytest.mark.xfail(strict=True, reason=FIX_GAPS[shape.id]) if shape.id in FIX_GAPS else ()
    return pytest.param(shape, marks=marks, id=_ids([shape])[0])


@pytest.mark.parametrize("shape", [_fix_param(s) for s in POSITIVES])
def test_program_runs_clean_after_plain_fix(shape, labels):
    fixed = labels[1][shape.id]
    assert fixed.code is None and fixed.verdict.status == "ok", _describe(fixed)
