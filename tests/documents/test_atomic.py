from __future__ import annotations

import os
import stat

import pytest

from bf16lint.documents import DocumentError, atomic, load_document, write_document
from bf16lint.documents.atomic import atomic_replace

OLD = b"import torch\nx = torch.ones(2)\n"
NEW = b"import torch\nx = torch.ones(2).float()\n"


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "train.py"
    path.write_bytes(OLD)
    return path


def leftovers(directory) -> list:
    return sorted(name for name in os.listdir(directory) if name != "train.py")


def test_replaces_the_file(script):
    atomic_replace(str(script), NEW, expected=OLD)
    assert script.read_bytes() == NEW
    assert leftovers(script.parent) == []


def test_keeps_permission_bits(script):
    os.chmod(script, 0o640)
    atomic_replace(str(script), NEW, expected=OLD)
    assert stat.S_IMODE(os.stat(script).st_mode) == 0o640
    os.chmod(script, 0o755)
    atomic_replace(str(script), OLD, expected=NEW)
    assert stat.S_IMODE(os.stat(script).st_mode) == 0o755


def test_refuses_a_file_changed_on_disk(script):
    script.write_bytes(OLD + b"# edited by the user meanwhile\n")
    with pytest.raises(DocumentError, match="changed on disk since it was read"):
        atomic_replace(str(script), NEW, expected=OLD)
    assert script.read_bytes() == OLD + b"# edited by the user meanwhile\n"
    assert leftovers(script.parent) == []


def test_refuses_a_change_that_lands_while_writing(script, monkeypatch):
    real_fsync = os.fsync

    def fsync_then_user_edits(fd):
        real_fsync(fd)
        script.write_bytes(b"# the user saved just now\n")

    monkeypatch.setattr(atomic.os, "fsync", fsync_then_user_edits)
    with pytest.raises(DocumentError, match="changed on disk"):
        atomic_replace(str(script), NEW, expected=OLD)
    assert script.read_bytes() == b"# the user saved just now\n"
    assert leftovers(script.parent) == []


@pytest.mark.parametrize("step", ["replace", "fsync", "chmod"])
def test_a_failure_at_any_step_leaves_the_original_intact(script, monkeypatch, step):
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, step, fail)
    with pytest.raises(DocumentError, match="original left intact: No space left on device"):
        atomic_replace(str(script), NEW, expected=OLD)
    assert script.read_bytes() == OLD
    assert leftovers(script.parent) == []


def test_a_non_os_failure_also_cleans_up(script, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_replace(str(script), NEW, expected=OLD)
    assert script.read_bytes() == OLD
    assert leftovers(script.parent) == []


def test_read_only_file_is_refused(script):
    os.chmod(script, 0o444)
    try:
        with pytest.raises(DocumentError, match="read-only"):
            atomic_replace(str(script), NEW, expected=OLD)
        assert script.read_bytes() == OLD
    finally:
        os.chmod(script, 0o644)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(DocumentError, match="disappeared"):
        atomic_replace(str(tmp_path / "gone.py"), NEW, expected=OLD)


def test_writes_through_a_symlink(script, tmp_path):
    link = tmp_path / "link.py"
    link.symlink_to(script)
    atomic_replace(str(link), NEW, expected=OLD)
    assert link.is_symlink()
    assert script.read_bytes() == NEW


def test_second_writer_with_stale_bytes_is_refused(script):
    atomic_replace(str(script), NEW, expected=OLD)
    with pytest.raises(DocumentError, match="changed on disk"):
        atomic_replace(str(script), NEW + b"# other\n", expected=OLD)
    assert script.read_bytes() == NEW


def test_write_document_round_trip(tmp_path):
    path = tmp_path / "train.py"
    path.write_bytes(b"x = 1\r\n")
    doc = load_document(str(path))
    write_document(doc, doc.render({0: "x = 1\r\nx = float(x)\r\n"}))
    assert path.read_bytes() == b"x = 1\r\nx = float(x)\r\n"
