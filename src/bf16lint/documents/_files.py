"""Reading a file's bytes, with every OS failure turned into a DocumentError."""

from __future__ import annotations

import errno
import os
import stat

from .base import DocumentError

# Opened without blocking, so that a FIFO given by name is reported instead of waiting
# forever for a writer; only regular files are read (a device such as /dev/zero never ends).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def read_file_bytes(path: str) -> bytes:
    try:
        fd = os.open(path, _OPEN_FLAGS)
        try:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            if not stat.S_ISREG(mode):
                raise DocumentError(path, "not a regular file (a FIFO, a device or a socket); not read")
            handle = os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise
        with handle:
            return handle.read()
    except FileNotFoundError:
        raise DocumentError(path, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a directory, not a file") from None
    except PermissionError:
        raise DocumentError(path, "permission denied: the file cannot be read") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DocumentError(path, "symbolic link loop") from None
        raise DocumentError(path, f"cannot be read: {os.strerror(error.errno or 0) or error}") from None


def line_of_offset(data, offset: int) -> int:
    """1-based line of a byte or character offset (counting "\\n" line breaks)."""
    newline = b"\n" if isinstance(data, (bytes, bytearray)) else "\n"
    return data.count(newline, 0, offset) + 1
