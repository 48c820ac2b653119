"""What a ruff, flake8 or pre-commit user types, through the real command line (a
subprocess each time): rule-code typos, broken cells, stdin, .gitignore, non-Python
files, read-only files, noqa comments, colour, rule pages, counts and exit codes."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys

import pytest
from eco_helpers import BUGGY_SCRIPT, CLEAN_SCRIPT, NOTEBOOK_CELLS, pyproject, write, write_notebook

ANSI = "\x1b["


def bf16lint(*args: str, cwd, stdin: bytes = None, env: dict = None):
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    completed = subprocess.run(
        [sys.executable, "-m", "bf16lint", *args], cwd=str(cwd), input=stdin,
        capture_output=True, env=dict(base, **(env or {})), timeout=120,
    )
    completed.out = completed.stdout.decode("utf-8")
    completed.err = completed.stderr.decode("utf-8")
    return completed


@pytest.fixture
def buggy(tmp_path):
    write(tmp_path / "train.py", BUGGY_SCRIPT)
    return tmp_path


def concise_codes(out: str):
    return [line.split(": ", 1)[1].split()[0] for line in out.splitlines() if ": BFD" in line]


# ------------------------------------------------------------------ rule codes
@pytest.mark.parametrize("flag,code,suggested", [
    ("--select", "BFD01", "BFD001"),
    ("--select", "BFD1", "BFD001"),
    ("--ignore", "BFD9", "BFD"),
    ("--extend-select", "BFD0003", "BFD003"),
    ("--select", "E501", "BFD001"),
])
def test_unknown_code_or_prefix_is_an_error_with_a_suggestion(buggy, flag, code, suggested):
    run = bf16lint("train.py", flag, code, cwd=buggy)
    assert run.returncode == 2, run.out
    assert f"{flag}: '{code}' matches no rule" in run.err
    assert suggested in run.err.split("matches no rule", 1)[1]
    assert run.out == ""  # nothing was linted with a half-understood selection


@pytest.mark.parametrize("key", ["select", "ignore", "extend-select"])
def test_unknown_code_in_pyproject_is_an_error(buggy, key):
    pyproject(buggy, f'{key} = ["BFD01"]\n')
    run = bf16lint("train.py", cwd=buggy)
    assert run.returncode == 2
    assert "pyproject.toml" in run.err and f"[tool.bf16lint] {key}: 'BFD01' matches no rule" in run.err
    assert "did you mean BFD001" in run.err


def test_repeated_select_accumulates_and_lower_case_works(buggy):
    both = bf16lint("train.py", "--output-format", "concise", "--select", "bfd001", "--select", "Bfd002", cwd=buggy)
    assert sorted(concise_codes(both.out)) == ["BFD001", "BFD002"]
    one = bf16lint("train.py", "--output-format", "concise", "--select", "bfd001", cwd=buggy)
    assert concise_codes(one.out) == ["BFD001"]
    ignored = bf16lint("train.py", "--output-format", "concise", "--ignore", "bfd001", "--ignore", "bfd002", cwd=buggy)
    assert ignored.returncode == 0 and concise_codes(ignored.out) == []
    pyproject(buggy, 'select = ["bfd002"]\n')
    assert concise_codes(bf16lint("train.py", "--output-format", "concise", cwd=buggy).out) == ["BFD002"]


# ------------------------------------------------------------------ broken notebook cells
FORMATS = ["text", "concise", "json", "json-lines", "github", "sarif"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cell_that_does_not_parse_is_reported_in_every_format(tmp_path, fmt):
    write_notebook(tmp_path / "nb.ipynb", NOTEBOOK_CELLS + [("code", "def broken(:\n    pass")])
    write(tmp_path / "script.py", "import torch, timm\nm = timm.create_model('resnet50')\nx = torch.zeros(1, dtype=torch.bfloat16)\ndef broken(:\n")
    run = bf16lint("--select", "BFD003", "--output-format", fmt, "nb.ipynb", "script.py", cwd=tmp_path)
    # The notebook is treated as the .py syntax error is: exit 2, named in the report.
    assert run.returncode == 2, run.out + run.err
    assert "cell 5: syntax error at line 1" in run.out
    assert "script.py" in run.out and "syntax error at line 4" in run.out
    if fmt in ("json", "json-lines"):
        rows = json.loads(run.out) if fmt == "json" else [json.loads(line) for line in run.out.splitlines()]
        fatal = {row["filename"]: row for row in rows if row["severity"] == "fatal"}
        assert set(fatal) == {"nb.ipynb", "script.py"} and fatal["nb.ipynb"]["code"] is None
    if fmt == "sarif":
        notes = json.loads(run.out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert {n["level"] for n in notes} == {"error"} and len(notes) == 2


def test_broken_cell_does_not_stop_the_other_cells(tmp_path):
    write_notebook(tmp_path / "nb.ipynb", NOTEBOOK_CELLS + [("code", "print 'py2'")])
    run = bf16lint("--output-format", "concise", "nb.ipynb", cwd=tmp_path)
    assert run.returncode == 2
    assert "nb.ipynb:cell 3:2:7: BFD001" in run.out and "cell 5: syntax error" in run.out


# ------------------------------------------------------------------ stdin
def test_stdin_script(buggy):
    data = (buggy / "train.py").read_bytes()
    run = bf16lint("-", "--output-format", "concise", cwd=buggy, stdin=data)
    assert run.returncode == 1
    assert "-:19:15: BFD002" in run.out and "-:23:15: BFD001" in run.out
    named = bf16lint("-", "--stdin-filename", "src/train.py", "--output-format", "concise", cwd=buggy, stdin=data)
    assert "src/train.py:23:15: BFD001" in named.out
    implied = bf16lint("--stdin-filename", "x.py", "--output-format", "concise", cwd=buggy, stdin=data)
    assert "x.py:23:15: BFD001" in implied.out  # --stdin-filename alone reads stdin, as in ruff


def test_stdin_fix_prints_the_fixed_code_and_reports_on_stderr(buggy):
    data = (buggy / "train.py").read_bytes()
    run = bf16lint("--fix", "-", cwd=buggy, stdin=data)
    assert run.returncode == 0, run.err
    assert run.stdout.count(b'batch["image"] = batch["image"].float()') == 2
    assert "2 fixed, 0 remaining" in run.err
    # The fixed code is what --fix writes to a file.
    bf16lint("--fix", "train.py", cwd=buggy)
    assert run.stdout == (buggy / "train.py").read_bytes()
    clean = bf16lint("--fix", "-", cwd=buggy, stdin=CLEAN_SCRIPT.encode())
    assert clean.returncode == 0 and clean.stdout == CLEAN_SCRIPT.encode()


def test_stdin_diff(buggy):
    data = (buggy / "train.py").read_bytes()
    run = bf16lint("--diff", "-", "--stdin-filename", "train.py", cwd=buggy, stdin=data)
    assert run.returncode == 1
    assert run.out.startswith("--- train.py\n+++ train.py\n")
    assert run.out.count('+    batch["image"] = batch["image"].float()') + run.out.count(
        '+        batch["image"] = batch["image"].float()') == 2
    assert "Would fix 1 error and 1 warning in 1 file." in run.err
    assert (buggy / "train.py").read_bytes() == data


def test_stdin_notebook(tmp_path):
    data = write_notebook(tmp_path / "nb.ipynb").read_bytes()
    run = bf16lint("-", "--stdin-filename", "nb.ipynb", "--output-format", "concise", cwd=tmp_path, stdin=data)
    assert "nb.ipynb:cell 3:2:7: BFD001" in run.out and run.returncode == 1
    fixed = bf16lint("--fix", "-", "--stdin-filename", "nb.ipynb", cwd=tmp_path, stdin=data)
    notebook = json.loads(fixed.stdout)
    assert "images = images.float()" in "".join(notebook["cells"][2]["source"])
    assert (tmp_path / "nb.ipynb").read_bytes() == data  # stdin never writes a file


# ------------------------------------------------------------------ .gitignore / .ignore
def _tree(root):
    for name in ("train.py", "wandb/run-1/files/code/train.py", "outputs/2024/train.py",
                 "lightning_logs/v0/train.py", "src/model/train.py", "src/model/keep_me.py",
                 "src/scratch/train.py", "docs/train.py", "src/outputs/train.py", "a/b/ckpt_1.py"):
        write(root / name, BUGGY_SCRIPT)
    write(root / ".gitignore", "wandb/\n/outputs\n# a comment\nsrc/model/*.py\n!src/model/keep_me.py\n**/ckpt_*.py\n")
    write(root / "src" / ".gitignore", "scratch/\n")
    write(root / "docs" / ".ignore", "*.py\n")


def _linted(run):
    return sorted({line.split(":", 1)[0] for line in run.out.splitlines() if ": BFD" in line})


def test_gitignore_and_ignore_files_are_respected(tmp_path):
    _tree(tmp_path)
    (tmp_path / ".git").mkdir()  # the top of a work tree; `lightning_logs` is ignored from a parent
    write(tmp_path / ".git" / "info" / "exclude", "lightning_logs/\n")
    run = bf16lint(".", "--output-format", "concise", cwd=tmp_path)
    # `/outputs` is anchored: src/outputs stays; `**/` reaches any depth; `!` re-includes.
    assert _linted(run) == ["src/model/keep_me.py", "src/outputs/train.py", "train.py"]
    # Walking a subdirectory still applies the .gitignore files above it.
    assert _linted(bf16lint("src", "--output-format", "concise", cwd=tmp_path)) == [
        "src/model/keep_me.py", "src/outputs/train.py"]
    everything = bf16lint(".", "--output-format", "concise", "--no-respect-gitignore", cwd=tmp_path)
    assert len(_linted(everything)) == 10
    # A file named explicitly is linted even when ignored, as in ruff.
    named = bf16lint("wandb/run-1/files/code/train.py", "--output-format", "concise", cwd=tmp_path)
    assert _linted(named) == ["wandb/run-1/files/code/train.py"]


def test_fix_never_edits_ignored_snapshots(tmp_path):
    _tree(tmp_path)
    bf16lint("--fix", ".", cwd=tmp_path)
    assert (tmp_path / "wandb/run-1/files/code/train.py").read_text() == BUGGY_SCRIPT
    assert (tmp_path / "outputs/2024/train.py").read_text() == BUGGY_SCRIPT
    assert (tmp_path / "train.py").read_text() != BUGGY_SCRIPT


# ------------------------------------------------------------------ non-Python files
def test_non_python_files_are_skipped_with_a_warning(buggy):
    write(buggy / "README.md", "# bf16 and resnet50\n\n```python\nmodel(x)\n```\n")
    write(buggy / "config.yaml", "bf16: true\n")
    run = bf16lint("README.md", "config.yaml", "train.py", "--output-format", "concise", cwd=buggy)
    assert run.returncode == 1, run.err  # train.py's findings, no error
    assert "warning: README.md: not a Python file or notebook (.py, .pyi, .ipynb); skipped" in run.err
    assert "config.yaml" in run.err
    only = bf16lint("README.md", cwd=buggy)
    assert only.returncode == 0 and "All checks passed!" in only.out


# ------------------------------------------------------------------ read-only under --fix
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0 and sys.platform == "win32", reason="posix modes")
def test_fix_on_a_read_only_file_reports_findings_and_why(buggy):
    path = buggy / "train.py"
    os.chmod(path, 0o444)
    try:
        run = bf16lint("--fix", "train.py", cwd=buggy)
    finally:
        os.chmod(path, 0o644)
    assert run.returncode == 2
    assert "train.py: error: file is read-only; not fixed" in run.out
    assert "train.py:19:15: BFD002" in run.out and "train.py:23:15: BFD001" in run.out
    assert "1 file could not be written." in run.out and "could not be checked" not in run.out
    assert path.read_text() == BUGGY_SCRIPT
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644


# ------------------------------------------------------------------ noqa
@pytest.mark.parametrize("comment", ["# flake8: noqa", "# ruff: noqa", "# ruff: noqa: BFD001, BFD002",
                                     "# flake8: NOQA", "#ruff:noqa:BFD"])
def test_flake8_and_ruff_file_comments_skip_the_file(tmp_path, comment):
    write(tmp_path / "train.py", comment + "\n" + BUGGY_SCRIPT)
    run = bf16lint("train.py", cwd=tmp_path)
    assert run.returncode == 0 and "All checks passed!" in run.out


def test_ruff_file_comment_with_codes_keeps_the_others(tmp_path):
    write(tmp_path / "train.py", "# ruff: noqa: BFD002\n" + BUGGY_SCRIPT)
    assert concise_codes(bf16lint("train.py", "--output-format", "concise", cwd=tmp_path).out) == ["BFD001"]
    write(tmp_path / "train.py", "# flake8: noqa: E501\n" + BUGGY_SCRIPT)  # another tool's code only
    assert len(concise_codes(bf16lint("train.py", "--output-format", "concise", cwd=tmp_path).out)) == 2


def test_add_noqa_then_the_file_is_clean(tmp_path):
    write(tmp_path / "train.py", BUGGY_SCRIPT.replace('out = model(batch["image"])\nwith',
                                                      'out = model(batch["image"])  # noqa: E501\nwith'))
    write_notebook(tmp_path / "nb.ipynb")
    run = bf16lint("--add-noqa", ".", cwd=tmp_path)
    assert run.returncode == 0, run.err
    assert "Added 3 noqa directives." in run.err
    lines = (tmp_path / "train.py").read_text().splitlines()
    assert lines[18].endswith('model(batch["image"])  # noqa: E501, BFD002')
    assert lines[22].endswith('model(batch["image"])  # noqa: BFD001')
    notebook = json.loads((tmp_path / "nb.ipynb").read_text())
    assert "".join(notebook["cells"][2]["source"]).endswith("out = model(images)  # noqa: BFD001")
    assert "".join(notebook["cells"][3]["source"]) == "%time print(out.shape)"  # magics kept
    again = bf16lint(".", "--extend-select", "BFD800", cwd=tmp_path)
    assert again.returncode == 0 and "All checks passed!" in again.out
    assert "Added 0 noqa directives." in bf16lint("--add-noqa", ".", cwd=tmp_path).err


def test_unused_noqa_is_opt_in_and_names_the_code(tmp_path):
    source = BUGGY_SCRIPT.replace('out = model(batch["image"])\nwith', 'out = model(batch["image"])  # noqa: BFD002, BFD003, E501\nwith')
    source = source.replace("import torch\n", "import torch  # noqa: BFD001\n# bf16lint: noqa: BFD003\n", 1)
    write(tmp_path / "train.py", source)
    default = bf16lint("train.py", "--output-format", "concise", cwd=tmp_path)
    assert concise_codes(default.out) == ["BFD001"]  # BFD800 is not part of `BFD`
    run = bf16lint("train.py", "--output-format", "json", "--extend-select", "BFD800", cwd=tmp_path)
    unused = [(f["location"]["row"], f["message"]) for f in json.loads(run.stdout) if f["code"] == "BFD800"]
    assert [row for row, _ in unused] == [1, 2, 20]
    assert "unused: `BFD001`" in unused[0][1]
    assert "file-level" in unused[1][1] and "`BFD003`" in unused[1][1]
    assert "unused: `BFD003`" in unused[2][1] and "BFD002" not in unused[2][1] and "E501" not in unused[2][1]
    assert "# BFD800: unused-noqa" in bf16lint("rule", "bfd800", cwd=tmp_path).out


# ------------------------------------------------------------------ output
def test_color_flag_and_environment(buggy):
    plain = bf16lint("train.py", cwd=buggy)  # not a terminal
    assert ANSI not in plain.out
    assert ANSI in bf16lint("train.py", env={"FORCE_COLOR": "1"}, cwd=buggy).out
    assert ANSI in bf16lint("train.py", "--color", "always", cwd=buggy).out
    assert ANSI not in bf16lint("train.py", "--color", "never", env={"FORCE_COLOR": "1"}, cwd=buggy).out
    assert ANSI not in bf16lint("train.py", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}, cwd=buggy).out
    assert ANSI in bf16lint("train.py", "--color", "always", env={"NO_COLOR": "1"}, cwd=buggy).out


def test_rule_command_json_and_help(tmp_path):
    one = bf16lint("rule", "bfd001", "--output-format", "json", cwd=tmp_path)
    page = json.loads(one.out)
    assert page["code"] == "BFD001" and page["severity"] == "error" and "## What it does" in page["explanation"]
    every = json.loads(bf16lint("rule", "--all", "--output-format", "json", cwd=tmp_path).out)
    assert [p["code"] for p in every] == ["BFD001", "BFD002", "BFD003"]
    helped = bf16lint("rule", "--help", cwd=tmp_path)
    assert helped.returncode == 0 and "usage: bf16lint rule" in helped.out and "--output-format" in helped.out
    typo = bf16lint("rule", "BFD01", cwd=tmp_path)
    assert typo.returncode == 2 and "did you mean BFD001" in typo.err


def test_check_alias_and_paths_without_dot_slash(buggy):
    write(buggy / "src" / "model.py", BUGGY_SCRIPT)
    run = bf16lint("check", ".", "--output-format", "concise", cwd=buggy)
    assert run.returncode == 1
    paths = {line.split(":", 1)[0] for line in run.out.splitlines() if ": BFD" in line}
    assert paths == {"train.py", "src/model.py"}
    named = bf16lint("check", "./src/model.py", cwd=buggy)
    assert named.out.startswith("src/model.py:19:15: BFD002")


def test_plurals_and_errors_counted_apart_from_warnings(buggy):
    run = bf16lint("train.py", cwd=buggy)
    assert "Found 1 error and 1 warning." in run.out
    diff = bf16lint("--diff", "--select", "BFD001", "train.py", cwd=buggy)
    assert "Would fix 1 error in 1 file." in diff.err
    write(buggy / "second.py", BUGGY_SCRIPT)
    both = bf16lint(".", cwd=buggy)
    assert "Found 2 errors and 2 warnings." in both.out
    warnings_only = bf16lint(".", "--select", "BFD002", cwd=buggy)
    assert "Found 2 warnings." in warnings_only.out


def test_fail_on_error_lets_warnings_pass(buggy):
    assert bf16lint("train.py", cwd=buggy).returncode == 1
    assert bf16lint("train.py", "--fail-on", "error", cwd=buggy).returncode == 1  # BFD001 is an error
    warnings_only = bf16lint("train.py", "--fail-on", "error", "--ignore", "BFD001", cwd=buggy)
    assert warnings_only.returncode == 0
    assert "Found 1 warning." in warnings_only.out  # still reported
    assert bf16lint("train.py", "--ignore", "BFD001", cwd=buggy).returncode == 1


# ------------------------------------------------------------------ --fix-style wrap
ISORTED = '''\
"""Train."""
import os

import numpy as np
import timm
import torch
from torch.utils.data import DataLoader

model = timm.create_model("resnet50", pretrained=True)
batch = {"frame_tensor": torch.randn(8, 3, 224, 224).to(torch.bfloat16)}
out = model(batch["frame_tensor"])
print(os, np, DataLoader)
'''


def test_wrap_import_lands_inside_the_sorted_import_block(tmp_path):
    write(tmp_path / "train.py", ISORTED)
    write(tmp_path / "stdlib_only.py", ISORTED.replace("import numpy as np\nimport timm\nimport torch\n"
                                                       "from torch.utils.data import DataLoader\n", "")
          .replace("import os\n\n", "import os\n\nimport timm\nimport torch\n"))
    pyproject(tmp_path, 'image-keys = ["frame_tensor"]\n')
    run = bf16lint("--fix", "--fix-style", "wrap", ".", cwd=tmp_path)
    assert run.returncode == 0, run.out + run.err
    text = (tmp_path / "train.py").read_text()
    assert ("import torch\nfrom bf16lint.runtime import float32_inputs\nfrom torch.utils.data import DataLoader\n"
            in text)
    # The configured image keys reach the runtime hook.
    assert 'model = float32_inputs(timm.create_model("resnet50", pretrained=True), image_keys=("frame_tensor",))' in text
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install ruff) to check the import order")
    checked = subprocess.run([ruff, "check", "--isolated", "--select", "I001", "train.py", "stdlib_only.py"],
                             cwd=str(tmp_path), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


def test_wrap_without_configured_keys_passes_none(buggy):
    run = bf16lint("--fix", "--fix-style", "wrap", "train.py", cwd=buggy)
    assert run.returncode == 0
    text = (buggy / "train.py").read_text()
    assert 'float32_inputs(torch.hub.load("facebookresearch/dinov2", "dinov2_vits14"))' in text
    assert text.startswith("import torch\nfrom bf16lint.runtime import float32_inputs\nfrom torch.utils.data")


def test_unused_noqa_names_codes_the_selection_leaves_out(buggy):
    bf16lint("--add-noqa", "train.py", cwd=buggy)
    run = bf16lint("train.py", "--select", "BFD800,BFD001", "--output-format", "concise", cwd=buggy)
    assert run.returncode == 1
    (line,) = [line for line in run.out.splitlines() if "BFD800" in line]
    assert line.startswith("train.py:19:") and "(non-enabled: `BFD002`)" in line
