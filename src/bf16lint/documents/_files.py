"""Reading a file's bytes, with every OS failure turned into a DocumentError."""

from __future__ import annotations

import errno
import os

from .base import DocumentError


def read_file_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
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
