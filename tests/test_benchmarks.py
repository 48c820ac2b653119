"""The benchmark corpus generator: deterministic, valid notebooks, parseable Python.

Runs benchmarks/make_corpus.py at a tiny scale (~90 .py files, ~20 notebooks; well under a
second) in-process and once more in a subprocess with another hash seed, and compares bytes.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))
make_corpus = pytest.importorskip("make_corpus")

SCALE = 0.01


def digest(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    make_corpus.generate(out, scale=SCALE, seed=7, quiet=True)
    return out


def test_same_seed_same_bytes_across_processes(corpus, tmp_path):
    other = tmp_path / "again"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), "--scale", str(SCALE), "--seed", "7",
                    "--out", str(other), "-q"], check=True, env=env, cwd=str(tmp_path))
    assert digest(corpus) == digest(other)


def test_other_seed_other_bytes(corpus, tmp_path):
    other = tmp_path / "seed8"
    make_corpus.generate(other, scale=SCALE, seed=8, quiet=True)
    a, b = digest(corpus), digest(other)
    assert a != b
    shared = set(a) & set(b)
    assert sum(a[k] == b[k] for k in shared) < len(shared) / 2


def test_python_files_parse(corpus):
    files = sorted(corpus.rglob("*.py"))
    assert len(files) > 50
    for path in files:
        ast.parse(path.read_bytes(), filename=str(path))


def test_notebooks_are_valid_nbformat(corpus):
    nbformat = pytest.importorskip("nbformat")
    notebooks = sorted(corpus.rglob("*.ipynb"))
    assert len(notebooks) > 5
    for path in notebooks:
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        assert nb.nbformat == 4
        # written the way nbformat writes: indent=1, sorted keys, trailing newline
        assert text == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        kinds = {c.cell_type for c in nb.cells}
        assert "code" in kinds


def test_manifest_marks_the_planted_lines(corpus):
    manifest = json.loads((corpus / make_corpus.MANIFEST).read_text())
    assert manifest["seed"] == 7 and manifest["scale"] == SCALE
    labels = [p["label"] for p in manifest["planted"]]
    assert labels.count("BFD001") >= 5
    for p in manifest["planted"]:
        path = corpus / p["path"]
        if "cell" in p:
            cell = json.loads(path.read_text())["cells"][p["cell"] - 1]
            line = "".join(cell["source"]).split("\n")[p["line"] - 1]
        else:
            line = path.read_text().split("\n")[p["line"] - 1]
        assert "(" in line and "=" in line, (p, line)  # the call that feeds the backbone
    stats = manifest["stats"]
    assert stats["bf16_files"] > 0 and stats["bf16_and_backbone_files"] > 0


def test_refuses_to_overwrite_a_foreign_directory(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(SystemExit):
        make_corpus.generate(tmp_path, scale=SCALE, quiet=True)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_notebook_twin_is_the_code_cells(corpus):
    run = pytest.importorskip("run")
    path = sorted(corpus.rglob("*.ipynb"))[0]
    py = run.nb_to_py(path.read_text(encoding="utf-8"))
    ast.parse(py)
    nb = json.loads(path.read_text())
    first_code = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code" and c["source"])
    assert first_code.split("\n")[0].lstrip("%!# ") in py
