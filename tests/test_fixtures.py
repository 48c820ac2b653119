"""The bundled fixtures: the origin story is reported where it lives, `--fix` gives the
stored expected files byte for byte, a second `--fix` changes nothing, and flake8 and the
CLI agree on every script."""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures"
BUGGY = ["notebooks/train_full_featured.ipynb", "scripts/train_dinov2_bf16.py"]


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "bf16lint", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def findings(path):
    proc = cli("--output-format", "json", path)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_origin_notebook_findings_sit_in_cells_23_and_29_not_18():
    found = findings(FIXTURES / "notebooks" / "train_full_featured.ipynb")
    cells = sorted((f["cell"], f["code"]) for f in found)
    assert cells == [(23, "BFD001"), (23, "BFD002"), (29, "BFD001")]
    train, val = sorted((f for f in found if f["cell"] == 23), key=lambda f: f["location"]["row"])
    assert train["code"] == "BFD002" and val["code"] == "BFD001"  # training under autocast, validation not


def test_origin_script_findings():
    found = findings(FIXTURES / "scripts" / "train_dinov2_bf16.py")
    assert [f["code"] for f in sorted(found, key=lambda f: f["location"]["row"])] == ["BFD002", "BFD001"]


@pytest.mark.parametrize("style,expected_dir", [("insert", "fixed"), ("wrap", "fixed-wrap")])
@pytest.mark.parametrize("relative", BUGGY)
def test_fix_gives_the_expected_file_and_is_idempotent(tmp_path, relative, style, expected_dir):
    copy = tmp_path / pathlib.Path(relative).name
    shutil.copy(FIXTURES / relative, copy)
    first = cli("--fix", "--fix-style", style, copy)
    assert first.returncode == 0, first.stdout + first.stderr
    assert copy.read_bytes() == (FIXTURES / expected_dir / relative).read_bytes()
    second = cli("--fix", "--fix-style", style, copy)
    assert second.returncode == 0
    assert copy.read_bytes() == (FIXTURES / expected_dir / relative).read_bytes()


def test_expected_files_lint_clean():
    for directory in ("fixed", "fixed-wrap"):
        proc = cli(FIXTURES / directory)
        assert proc.returncode == 0, proc.stdout


def test_fixed_notebook_differs_only_in_fixed_cells_sources():
    before = json.loads((FIXTURES / "notebooks" / "train_full_featured.ipynb").read_text())
    after = json.loads((FIXTURES / "fixed" / "notebooks" / "train_full_featured.ipynb").read_text())
    changed = [i + 1 for i, (a, b) in enumerate(zip(before["cells"], after["cells"])) if a != b]
    assert changed == [23, 29]
    for a, b in zip(before["cells"], after["cells"]):
        assert {k: v for k, v in a.items() if k != "source"} == {k: v for k, v in b.items() if k != "source"}
    assert before["metadata"] == after["metadata"]


SCRIPTS = sorted(FIXTURES.glob("**/*.py")) + sorted((ROOT / "tests" / "cases").glob("*.py"))


def _in_process(main, argv, capsys):
    """(exit code, stdout) of a console entry point run in this process. Both front ends
    run here, not as `python -m ...`: a fresh interpreter cost ~1 s of start-up per script
    against ~40 ms of linting, and the subprocess paths have tests of their own
    (test_origin_* above, tests/ecosystem/test_flake8_options.py)."""
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    assert code in (0, 1), captured.out + captured.err
    return captured.out


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_flake8_and_cli_agree(path, capsys):
    from flake8.main.cli import main as flake8  # the plugin is found through its entry point

    from bf16lint.cli import main as bf16lint

    out = _in_process(flake8, ["--select", "BFD", "--format", "%(row)d:%(col)d:%(code)s", str(path)], capsys)
    from_flake8 = sorted(out.split())
    found = json.loads(_in_process(bf16lint, ["--output-format", "json", str(path)], capsys))
    from_cli = sorted(f"{f['location']['row']}:{f['location']['column']}:{f['code']}" for f in found)
    assert from_flake8 == from_cli
