"""--fix never loses or corrupts a byte: concurrent runs, a failure at any step of a
write, and a fixer that produces broken code all leave every file either as it was or
correctly fixed, with nothing left behind."""
from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_helpers import (
    BUGGY,
    FIXED,
    FIXTURE_FIXED,
    FIXTURE_SCRIPT,
    buggy_notebook_bytes,
    cli_subprocess,
    leftovers,
    sources,
)

from bf16lint.documents import atomic

# ---------------------------------------------------------------- two processes at once


def test_two_fix_processes_on_the_same_tree(tmp_path):
    original = FIXTURE_SCRIPT.read_bytes()
    fixed = FIXTURE_FIXED.read_bytes()
    root = tmp_path / "proj"
    for group in range(3):
        sub = root / f"pkg{group}"
        sub.mkdir(parents=True)
        for number in range(10):
            (sub / f"train_{number}.py").write_bytes(original)
    command = [sys.executable, "-m", "bf16lint", "--fix", "proj"]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    processes = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    files = sorted(root.rglob("*.py"))
    assert len(files) == 30
    for path in files:
        assert path.read_bytes() in (original, fixed), path
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode in (0, 2), out + err
        assert "Traceback" not in out + err
        errors = [line for line in (out + err).splitlines() if ": error: " in line]
        if process.returncode == 2:
            assert errors
        for line in errors:  # the only acceptable refusal: the other process got there first
            assert "changed on disk since it was read; not overwritten" in line, line
    assert leftovers(root) == []
    final = cli_subprocess(["--fix", "proj"], cwd=tmp_path)
    assert final.code == 0, final.text
    assert all(path.read_bytes() == fixed for path in files)


# ---------------------------------------------------------------- failures while writing


def _fail_for(name: str, real):
    """A stand-in for a write step that fails (disk full) only for the file called name."""

    def fail(*args, **kwargs):
        if any(name in os.fspath(arg) for arg in args if isinstance(arg, (str, bytes, os.PathLike))):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    return fail


def _setup(tree):
    (tree / "bad.py").write_text(BUGGY)
    (tree / "good.py").write_text(BUGGY)
    (tree / "bad.ipynb").write_bytes(buggy_notebook_bytes())


def _assert_bad_intact_good_fixed(tree, run, reason="original left intact: No space left on device"):
    assert run.code == 2, run.text
    assert reason in run.error_for("bad.py")
    assert (tree / "bad.py").read_text() == BUGGY
    assert (tree / "good.py").read_text() == FIXED
    assert leftovers(tree) == []


@pytest.mark.parametrize("step", ["replace", "chmod", "mkstemp"])
def test_failure_at_a_named_write_step(tree, cli, monkeypatch, step):
    _setup(tree)
    if step == "mkstemp":
        real = atomic.tempfile.mkstemp

        def fail(*args, **kwargs):
            if "bad.py" in kwargs.get("prefix", ""):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(*args, **kwargs)

        monkeypatch.setattr(atomic.tempfile, "mkstemp", fail)
        reason = "cannot create a temporary file"
    else:
        monkeypatch.setattr(atomic.os, step, _fail_for(".bad.py.", getattr(os, step)))
        reason = "original left intact: No space left on device"
    run = cli("--fix", ".")
    _assert_bad_intact_good_fixed(tree, run, reason)
    assert (tree / "bad.ipynb").read_bytes() != buggy_notebook_bytes()  # other files: fixed


def _temp_fd_of(name):
    """The descriptors of temporary files being written for the file called name."""
    fds = set()
    for fd_name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd_name}")
        except OSError:
            continue
        if f".{name}." in target and target.endswith(".bf16lint.tmp"):
            fds.add(int(fd_name))
    return fds


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
@pytest.mark.parametrize("step", ["fsync", "write"])
def test_failure_while_writing_the_temporary_file(tree, cli, monkeypatch, step):
    _setup(tree)
    if step == "fsync":
        real_fsync = os.fsync

        def fsync(fd):
            if fd in _temp_fd_of("bad.py"):
                raise OSError(errno.EIO, "Input/output error")
            return real_fsync(fd)

        monkeypatch.setattr(atomic.os, "fsync", fsync)
        reason = "original left intact: Input/output error"
    else:
        real_fdopen = os.fdopen

        class Short:
            """A temp file that takes half the bytes, then the disk is full."""

            def __init__(self, handle):
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            def write(self, data):
                self.handle.write(data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")

            def __getattr__(self, name):
                return getattr(self.handle, name)

        def fdopen(fd, *args, **kwargs):
            handle = real_fdopen(fd, *args, **kwargs)
            return Short(handle) if fd in _temp_fd_of("bad.py") else handle

        monkeypatch.setattr(atomic.os, "fdopen", fdopen)
        reason = "original left intact: No space left on device"
    run = cli("--fix", ".")
    _assert_bad_intact_good_fixed(tree, run, reason)


def test_interrupt_during_replace_leaves_the_original(tree, cli, monkeypatch):
    _setup(tree)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cli("--fix", "bad.py")
    assert (tree / "bad.py").read_text() == BUGGY
    assert leftovers(tree) == []


def test_user_edit_between_read_and_write_is_not_overwritten(tree, cli, monkeypatch):
    _setup(tree)
    real_fsync = os.fsync

    def fsync_then_the_user_saves(fd):
        real_fsync(fd)
        if fd in _temp_fd_of("bad.py"):
            Path("bad.py").write_text(BUGGY + "# saved by the user meanwhile\n")

    monkeypatch.setattr(atomic.os, "fsync", fsync_then_the_user_saves)
    run = cli("--fix", ".")
    assert run.code == 2
    assert "changed on disk since it was read" in run.error_for("bad.py")
    assert (tree / "bad.py").read_text() == BUGGY + "# saved by the user meanwhile\n"
    assert (tree / "good.py").read_text() == FIXED
    assert leftovers(tree) == []


# ---------------------------------------------------------------- the re-parse guard


def test_a_fixer_that_returns_broken_code_writes_nothing(tree, cli, monkeypatch):
    import bf16lint.fixes

    _setup(tree)
    monkeypatch.setattr(bf16lint.fixes, "apply_plans", lambda text, plans: text + "def broken(:\n")
    before = {p.name: p.read_bytes() for p in tree.iterdir()}
    run = cli("--fix", ".")
    assert run.code == 2, run.text
    for name in ("bad.py", "good.py", "bad.ipynb"):
        message = run.error_for(f"{name}")
        assert message.startswith("internal error"), message
        assert re.search(r"does not parse|does not load again \(syntax error", message), message
        assert message.endswith("not written"), message
    assert "cell 3" in run.error_for("bad.ipynb")
    assert {p.name: p.read_bytes() for p in tree.iterdir()} == before
    assert leftovers(tree) == []
    # --diff reports the same and prints no diff of broken code.
    diff = cli("--diff", "bad.py")
    assert diff.code == 2 and "def broken" not in diff.out


def test_a_fixer_that_drops_the_evidence_still_gets_checked(tree, cli, monkeypatch):
    """Broken output without bf16 evidence would skip the re-lint's parse: still refused."""
    import bf16lint.fixes

    (tree / "t.py").write_text(BUGGY)
    monkeypatch.setattr(bf16lint.fixes, "apply_plans", lambda text, plans: "x = (\n")
    run = cli("--fix", "t.py")
    assert run.code == 2
    assert run.error_for("t.py").startswith("internal error")
    assert (tree / "t.py").read_text() == BUGGY


def test_an_internal_error_is_reported_per_file(tree, cli, monkeypatch):
    import bf16lint.engine

    _setup(tree)
    real = bf16lint.engine.fix_document

    def buggy(doc, options):
        if doc.path.endswith("bad.py"):
            raise KeyError("a bug of ours")
        return real(doc, options)

    monkeypatch.setattr(bf16lint.engine, "fix_document", buggy)
    run = cli("--fix", ".")
    assert run.code == 2
    assert run.error_for("bad.py") == "internal error: KeyError: 'a bug of ours'"
    assert (tree / "bad.py").read_text() == BUGGY
    assert (tree / "good.py").read_text() == FIXED
    assert "images = images.float()" in sources((tree / "bad.ipynb").read_bytes())[2]
