"""Writing a fixed file back without ever losing what the user wrote.

The new bytes go to a temporary file in the same directory (same filesystem, so the
final rename is atomic), are flushed and fsynced, get the original's permission bits,
and only then replace the original with os.replace. A reader sees either the old file
or the new one, never a mix; any failure removes the temporary file and leaves the
original untouched.
"""

from __future__ import annotations

import os
import stat
import tempfile

from .base import DocumentError

_ANY_WRITE_BIT = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def atomic_replace(path: str, data: bytes, expected: bytes) -> None:
    """Replace the file at ``path`` with ``data`` if it still holds ``expected``."""
    # Write through a symlink to its target: replacing the link itself would turn it into
    # a regular file and leave the real file unfixed.
    target = os.path.realpath(path)
    status = _stat(path, target)
    if not stat.S_ISREG(status.st_mode):
        raise DocumentError(path, "not a regular file; not written")
    # Permission bits, not os.access alone: root may write anything, but a file without
    # any write bit was made read-only on purpose.
    if not status.st_mode & _ANY_WRITE_BIT or not os.access(target, os.W_OK):
        raise DocumentError(path, "file is read-only; not fixed")
    _refuse_if_changed(path, target, expected)

    directory = os.path.dirname(target) or "."
    try:
        handle, temp_path = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".bf16lint.tmp", dir=directory
        )
    except OSError as error:
        raise DocumentError(
            path, f"cannot create a temporary file in {directory}: {error.strerror or error}"
        ) from None
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_path, stat.S_IMODE(status.st_mode))
        _keep_owner(temp_path, status)
        # Checked again right before the swap, to keep the window for a concurrent edit small.
        _refuse_if_changed(path, target, expected)
        os.replace(temp_path, target)
    except BaseException as error:
        _remove_quietly(temp_path)
        if isinstance(error, OSError):
            raise DocumentError(
                path, f"could not be written, original left intact: {error.strerror or error}"
            ) from None
        raise
    _fsync_directory(directory)


def _stat(path: str, target: str) -> os.stat_result:
    try:
        return os.stat(target)
    except FileNotFoundError:
        raise DocumentError(path, "disappeared since it was read; not written") from None
    except OSError as error:
        raise DocumentError(path, f"cannot be inspected before writing: {error.strerror or error}") from None


def _refuse_if_changed(path: str, target: str, expected: bytes) -> None:
    try:
        with open(target, "rb") as handle:
            current = handle.read()
    except FileNotFoundError:
        raise DocumentError(path, "disappeared since it was read; not written") from None
    except OSError as error:
        raise DocumentError(path, f"cannot be read again before writing: {error.strerror or error}") from None
    if current != expected:
        raise DocumentError(path, "changed on disk since it was read; not overwritten")


def _keep_owner(temp_path: str, status: os.stat_result) -> None:
    # Only root can give a file away; for anyone else the temp file already has their ids.
    if not hasattr(os, "chown"):
        return
    try:
        current = os.stat(temp_path)
        if (current.st_uid, current.st_gid) != (status.st_uid, status.st_gid):
            os.chown(temp_path, status.st_uid, status.st_gid)
    except OSError:
        pass


def _remove_quietly(temp_path: str) -> None:
    try:
        os.unlink(temp_path)
    except OSError:
        pass


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); best effort, the data is already safe."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
