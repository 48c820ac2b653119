"""Files in, units out, bytes back: the only place that knows about files."""
from __future__ import annotations

import os
from typing import Optional

from .base import CodeUnit, Document, DocumentError

__all__ = ["CodeUnit", "Document", "DocumentError", "load_document", "write_document"]


def load_document(path: str, data: Optional[bytes] = None) -> Document:
    """Read a .py or .ipynb file into a Document (raises DocumentError); ``data``, when
    given, is used instead of reading the file."""
    path = os.fspath(path)
    if path.endswith(".ipynb"):
        from .notebook import NotebookDocument

        return NotebookDocument.from_bytes(path, data)
    from .python import PythonDocument

    return PythonDocument.from_bytes(path, data)


def write_document(doc: Document, new_bytes: bytes) -> None:
    """Atomically replace doc.path with new_bytes, refusing if the file changed on disk."""
    from .atomic import atomic_replace

    atomic_replace(doc.path, new_bytes, expected=doc.raw)
