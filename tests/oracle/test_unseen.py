"""Realistic programs in styles the generator does not write (tests/oracle/unseen/): HF
processors and Auto classes, timm data configs, torchvision weight enums, DINOv2 hub, open_clip,
SAM, accelerate, Lightning; configs by argparse, dataclasses, SimpleNamespace, inline YAML/JSON,
environment variables; precision switches and autocasts spelled many ways. About half run fine.

Three checks, every label from one oracle call (the originals and, for each program the linter
reports, its plain --fix output):
(a) each program runs as MANIFEST.json says it should (a broken program is the corpus's bug);
(b) the linter's BFD001/BFD002 findings are exactly the crash sites the oracle measured
    (file, cell, line, code), plus the true findings past the first crash MANIFEST.json lists;
(c) each positive after plain --fix runs clean, with and without autocast.
MANIFEST.json: file -> {"argv": [...], "env": {...}, "expect": "BFD001" | "BFD002" | "quiet",
"also": [[code, cell, line], ...] (true findings the oracle cannot see: it stops at the first
crash), "linter_gap" / "fix_gap": reason (a strict xfail of (b) / (c) naming the missing
mechanism)}.
"""
from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="the oracle needs torch")

UNSEEN = pathlib.Path(__file__).parent / "unseen"
MANIFEST = json.loads((UNSEEN / "MANIFEST.json").read_text(encoding="utf-8"))
FILES = sorted(p.name for p in UNSEEN.iterdir() if p.suffix in (".py", ".ipynb"))
CRASH_CODES = ("BFD001", "BFD002")


def _entry(name):
    return MANIFEST[name]


def _program(name, files=None):
    from oracle import Program

    entry = _entry(name)
    return Program(files or {name: (UNSEEN / name).read_text(encoding="utf-8")}, name,
                   argv=tuple(entry.get("argv", ())), env=dict(entry.get("env", {})), name=name)


def _lint(program):
    from bf16lint.documents import load_document
    from bf16lint.engine import LintOptions, lint_document

    text = program.files[program.entry]
    findings = lint_document(load_document(program.entry, text.encode("utf-8")), LintOptions()).findings
    return {(f.code, f.location.cell if f.location else None, f.location.row if f.location else f.line)
            for f in findings if f.code in CRASH_CODES}


def _fixed(program):
    from bf16lint.documents import load_document
    from bf16lint.engine import LintOptions, fix_document

    text = program.files[program.entry]
    _, new_bytes, _ = fix_document(load_document(program.entry, text.encode("utf-8")), LintOptions())
    return None if new_bytes is None else _program(program.entry, {program.entry: new_bytes.decode("utf-8")})


@pytest.fixture(scope="module")
def runs():
    """name -> (label, linter crash findings, label of the fixed program or None)."""
    from oracle import label_programs

    originals = {name: _program(name) for name in FILES}
    findings = {name: _lint(program) for name, program in originals.items()}
    fixed = {name: _fixed(program) for name, program in originals.items() if findings[name]}
    fixed = {name: program for name, program in fixed.items() if program is not None}
    labels = label_programs(list(originals.values()) + list(fixed.values()), jobs=2, timeout=60.0)
    by_name = dict(zip(originals, labels))
    fixed_labels = dict(zip(fixed, labels[len(originals):]))
    return {name: (by_name[name], findings[name], fixed_labels.get(name)) for name in FILES}


def _describe(label):
    frames = ", ".join(f"cell {f.cell}:{f.line}" if f.cell else f"{f.line}" for f in label.frames)
    return f"{label.code} at [{frames}] {label.verdict.status}/{label.verdict.direction} {label.verdict.message[:160]}"


def _sites(label):
    return {(label.code, f.cell, f.line) for f in label.frames}


def test_every_program_has_a_manifest_entry():
    assert set(FILES) == set(MANIFEST), set(FILES) ^ set(MANIFEST)
    assert len(FILES) >= 40
    assert sum(name.endswith(".ipynb") for name in FILES) >= 16


@pytest.mark.parametrize("name", FILES)
def test_oracle_label_is_the_intended_one(name, runs):
    label = runs[name][0]
    expected = _entry(name)["expect"]
    assert (label.code or "quiet") == expected, _describe(label)
    if label.code in CRASH_CODES:
        assert label.verdict.direction in ("bf16_input", ""), _describe(label)


def _param(name, gap_key):
    gap = _entry(name).get(gap_key)
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=gap) if gap else ())


def _linter_param(name):
    return _param(name, "linter_gap")


@pytest.mark.parametrize("name", [_linter_param(n) for n in FILES])
def test_linter_findings_are_the_oracle_crash_sites(name, runs):
    label, found, _ = runs[name]
    also = {tuple(item) for item in _entry(name).get("also", ())}
    if label.code is None:
        assert not found, f"quiet program, linter reports {sorted(found, key=str)}"
        return
    sites = _sites(label)
    assert found & sites, f"oracle {_describe(label)}; linter {sorted(found, key=str)}"
    assert found - sites <= also, f"reports beyond the crash: {sorted(found - sites - also, key=str)}"
    assert also <= found, f"missing the listed true findings {sorted(also - found, key=str)}"


POSITIVES = [n for n in FILES if _entry(n)["expect"] in CRASH_CODES]


@pytest.mark.parametrize("name", [_param(n, "fix_gap") for n in POSITIVES])
def test_positive_runs_clean_after_plain_fix(name, runs):
    fixed = runs[name][2]
    assert fixed is not None, "plain --fix changed nothing"
    assert fixed.code is None and fixed.verdict.status == "ok", _describe(fixed)
    assert fixed.no_autocast is None or fixed.no_autocast.status == "ok", fixed.no_autocast
