"""What the editor holds open, as bf16lint documents.

A script is one text document; a notebook (LSP 3.17) is a list of cells, each its own text
document. The cells are rebuilt into notebook JSON in memory so the engine reads them
exactly as it reads a .ipynb file (magics masked, cells laid end to end, cell numbers
counting markdown cells), and each finding maps back to the cell it lands in.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import List, Optional
from urllib.parse import unquote, urlparse

from ..documents import Document, load_document

PYTHON_LANGUAGES = ("python", "ipython", "")
VIRTUAL_DOCUMENTS = ".virtual_documents"


@dataclass
class Cell:
    uri: str  # the cell's own text document
    code: bool  # a code cell (markup cells still count in cell numbers)
    text: str
    language: str = "python"
    metadata: dict = field(default_factory=dict)


@dataclass
class Buffer:
    """One open document: a script (one cell, its uri the document's) or a notebook."""

    uri: str
    path: Optional[str]  # None for an untitled buffer: linted alone, no project context
    notebook: bool
    cells: List[Cell]

    @property
    def text(self) -> str:
        return self.cells[0].text if not self.notebook else ""

    def cell_for(self, uri: str) -> Optional[int]:
        """0-based position of the cell (or the script) whose text document is `uri`."""
        for position, cell in enumerate(self.cells):
            if cell.uri == uri:
                return position
        return None

    def data(self) -> bytes:
        if not self.notebook:
            return self.text.encode("utf-8")
        return notebook_json(self.cells).encode("utf-8")

    def code_text(self) -> str:
        """The Python the buffer holds (its import lines are what the project graph reads)."""
        if not self.notebook:
            return self.text
        return "\n".join(c.text for c in self.cells if c.code and c.language in PYTHON_LANGUAGES)

    def document(self) -> Document:
        if not self.notebook:  # Python text, whatever the name (jupyterlab-lsp's virtual `x.ipynb`)
            from ..documents.python import PythonDocument

            return PythonDocument.from_bytes(self.engine_path(), self.data())
        return load_document(self.engine_path(), self.data())

    def engine_path(self) -> str:
        if self.path is not None:
            return self.path
        return "untitled.ipynb" if self.notebook else "untitled.py"


def notebook_json(cells: List[Cell]) -> str:
    nb_cells = []
    for number, cell in enumerate(cells, start=1):
        metadata = dict(cell.metadata or {})
        if cell.code and cell.language not in PYTHON_LANGUAGES:
            # documents/notebook.py skips a cell VS Code marks as another language
            metadata["vscode"] = {"languageId": cell.language}
        entry = {"cell_type": "code" if cell.code else "markdown", "id": f"cell-{number}",
                 "metadata": metadata, "source": cell.text}
        if cell.code:
            entry.update(execution_count=None, outputs=[])
        nb_cells.append(entry)
    notebook = {"cells": nb_cells, "metadata": {"language_info": {"name": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=1)


def path_of(uri: str) -> Optional[str]:
    """The file a `file:` URI names; None for untitled and other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    # jupyterlab-lsp hands a notebook over as one Python document under .virtual_documents/;
    # the notebook's own folder is where its sys.path lines and imports start from.
    path = path.replace(f"/{VIRTUAL_DOCUMENTS}/", "/", 1)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return os.path.abspath(path)


def code_units(line: str, characters: int, encoding: str) -> int:
    """A character column as the client counts positions (utf-16 unless negotiated)."""
    prefix = line[:characters]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return len(prefix)
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2


def characters(line: str, units: int, encoding: str) -> int:
    """The inverse of code_units: a client column back to characters."""
    if encoding == "utf-32":
        return units
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += code_units(char, 1, encoding)
    return len(line)
