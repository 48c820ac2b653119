"""Paths that are not plain readable files: unreadable, read-only, a directory with a .py
name, symlinks (and loops of them), missing paths, binary files named .py."""
from __future__ import annotations

import os
import stat

import pytest
from reliability_helpers import BUGGY, EVIDENCE, FIXED, assert_no_traceback, cli_subprocess

from bf16lint.documents import _files


def test_unreadable_file_simulated(tree, cli, monkeypatch):
    """Root reads anything, so permission denial is simulated where the file is opened."""
    (tree / "secret.py").write_text(EVIDENCE + BUGGY)
    (tree / "good.py").write_text(BUGGY)
    real_open = os.open

    def guarded_open(file, *args, **kwargs):
        if os.path.basename(os.fspath(file)) == "secret.py":
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(_files.os, "open", guarded_open)
    run = cli("--fix", ".")
    assert run.code == 2, run.text
    assert "permission denied" in run.error_for("secret.py")
    assert (tree / "good.py").read_text() == FIXED
    assert (tree / "secret.py").read_text() == EVIDENCE + BUGGY


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a mode-000 file")
def test_unreadable_file_for_real(tree):
    secret = tree / "secret.py"
    secret.write_text(EVIDENCE + BUGGY)
    (tree / "good.py").write_text(BUGGY)
    os.chmod(secret, 0)
    try:
        run = cli_subprocess(["--fix", "."], cwd=tree)
    finally:
        os.chmod(secret, 0o644)
    assert run.code == 2
    assert "permission denied" in run.error_for("secret.py")
    assert (tree / "good.py").read_text() == FIXED


@pytest.mark.parametrize("kind", ["script", "notebook"])
def test_read_only_file_under_fix(tree, cli, kind):
    from reliability_helpers import buggy_notebook_bytes

    name, data = ("ro.py", BUGGY.encode()) if kind == "script" else ("ro.ipynb", buggy_notebook_bytes())
    path = tree / name
    path.write_bytes(data)
    (tree / "good.py").write_text(BUGGY)
    os.chmod(path, 0o444)
    try:
        run = cli("--fix", ".")
        assert run.code == 2, run.text
        assert "read-only; not fixed" in run.error_for(f"{name}")
        assert path.read_bytes() == data
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
        assert (tree / "good.py").read_text() == FIXED
        # Linting a read-only file is fine: its findings are reported.
        check = cli(name)
        assert check.code == 1 and "BFD001" in check.text
    finally:
        os.chmod(path, 0o644)


def test_read_only_directory_under_fix(tree, cli):
    """No temporary file can be created next to the file: refused, reported, intact."""
    if os.geteuid() == 0:
        pytest.skip("root may create files in a read-only directory")
    sub = tree / "locked"
    sub.mkdir()
    (sub / "t.py").write_text(BUGGY)
    os.chmod(sub, 0o555)
    try:
        run = cli("--fix", "locked")
    finally:
        os.chmod(sub, 0o755)
    assert run.code == 2
    assert (sub / "t.py").read_text() == BUGGY


def test_directory_named_like_a_source_file(tree, cli):
    weird = tree / "weird.py"
    weird.mkdir()
    (weird / "inner.py").write_text(BUGGY)
    (tree / "nb.ipynb").mkdir()
    (tree / "good.py").write_text(BUGGY)
    # Walked: the directories are descended into, never opened as files.
    run = cli("--fix", ".")
    assert run.code == 0, run.text
    assert (weird / "inner.py").read_text() == FIXED
    assert (tree / "good.py").read_text() == FIXED
    # Named explicitly: treated as the directories they are.
    for args in (("weird.py",), ("nb.ipynb",), ("--fix", "weird.py", "nb.ipynb")):
        run = cli(*args)
        assert run.code == 0, (args, run.text)


def test_symlink_loops_in_a_walk_do_not_hang(tmp_path):
    root = tmp_path / "proj"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "good.py").write_text(BUGGY)
    os.symlink("..", root / "sub" / "up")  # a directory loop
    os.symlink(".", root / "self")
    os.symlink("b.py", root / "a.py")  # a file loop
    os.symlink("a.py", root / "b.py")
    os.symlink("missing.py", root / "dangling.py")
    run = cli_subprocess(["--fix", "proj"], cwd=tmp_path, timeout=60)
    assert run.code == 0, run.text
    assert_no_traceback(run)
    assert (root / "sub" / "good.py").read_text() == FIXED


def test_symlinks_named_explicitly(tree, cli):
    os.symlink("b.py", "a.py")
    os.symlink("a.py", "b.py")
    os.symlink("missing.py", "dangling.py")
    (tree / "good.py").write_text(BUGGY)
    run = cli("--fix", "a.py", "dangling.py", "good.py")
    assert run.code == 2, run.text
    assert "symbolic link loop" in run.error_for("a.py")
    assert "no such file" in run.error_for("dangling.py")
    assert (tree / "good.py").read_text() == FIXED


def test_fix_through_a_symlink_writes_the_target(tree, cli):
    (tree / "real").mkdir()
    (tree / "real" / "t.py").write_text(BUGGY)
    os.symlink("real/t.py", "link.py")
    run = cli("--fix", "link.py")
    assert run.code == 0, run.text
    assert os.path.islink("link.py")
    assert (tree / "real" / "t.py").read_text() == FIXED


def test_symlinked_directory_is_not_followed_in_a_walk(tree, cli):
    (tree / "outside").mkdir()
    (tree / "outside" / "t.py").write_text(BUGGY)
    (tree / "proj").mkdir()
    os.symlink("../outside", tree / "proj" / "linked")
    run = cli("--fix", "proj")
    assert run.code == 0, run.text
    assert (tree / "outside" / "t.py").read_text() == BUGGY


def test_missing_path(tree, cli):
    (tree / "good.py").write_text(BUGGY)
    run = cli("--fix", "nope.py", "nodir/", "good.py")
    assert run.code == 2, run.text
    assert "no such file or directory" in run.error_for("nope.py")
    assert "no such file or directory" in run.error_for("nodir/")
    assert (tree / "good.py").read_text() == FIXED


def test_file_deleted_between_discovery_and_reading(tree, cli, monkeypatch):
    (tree / "gone.py").write_text(EVIDENCE + BUGGY)
    (tree / "good.py").write_text(BUGGY)
    real = _files.read_file_bytes

    def vanish(path):
        if os.path.basename(path) == "gone.py" and os.path.exists(path):
            os.unlink(path)
        return real(path)

    monkeypatch.setattr(_files, "read_file_bytes", vanish)
    import bf16lint.documents.python as python_doc

    monkeypatch.setattr(python_doc, "read_file_bytes", vanish)
    run = cli("--fix", ".")
    assert run.code == 2, run.text
    assert "no such file" in run.error_for("gone.py")
    assert (tree / "good.py").read_text() == FIXED


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(4096) + EVIDENCE.encode(),
        b"\x7fELF\x02\x01\x01" + bytes(range(256)) + EVIDENCE.encode(),
        b"\xff\xfe" + (EVIDENCE + BUGGY).encode("utf-16-le"),
    ],
    ids=["random", "elf", "utf16"],
)
def test_binary_file_with_a_py_suffix(tree, cli, data):
    (tree / "blob.py").write_bytes(data)
    (tree / "good.py").write_text(BUGGY)
    run = cli("--fix", ".")
    assert run.code == 2, run.text
    assert run.error_for("blob.py")
    assert (tree / "blob.py").read_bytes() == data
    assert (tree / "good.py").read_text() == FIXED


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_devices_do_not_hang(tmp_path):
    """A FIFO would block forever on open and /dev/zero never ends: reported, not read.
    A walk does not even look at them."""
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "good.py").write_text(BUGGY)
    walked = cli_subprocess(["--fix", "."], cwd=tmp_path, timeout=60)
    assert walked.code == 0, walked.text
    assert (tmp_path / "good.py").read_text() == FIXED
    (tmp_path / "good.py").write_text(BUGGY)
    named = ["pipe.py", "good.py"] + (["/dev/zero"] if os.path.exists("/dev/zero") else [])
    run = cli_subprocess(["--fix", *named], cwd=tmp_path, timeout=60)
    assert run.code == 2, run.text
    assert_no_traceback(run)
    assert "not a regular file" in run.error_for("pipe.py")
    if "/dev/zero" in named:  # not .py/.pyi/.ipynb: skipped with a warning, never opened
        assert "/dev/zero: not a Python file or notebook" in run.text
    assert (tmp_path / "good.py").read_text() == FIXED
