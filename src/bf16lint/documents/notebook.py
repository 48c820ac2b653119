"""A Jupyter notebook as code units: one per code cell, laid end to end, and back.

Reading: the raw JSON goes through json.loads (nbformat is far slower and is only needed
when writing); the notebook must be nbformat 4 with a list of cells whose ``source`` is a
string or a list of strings. A notebook whose kernel is not Python has no units, nor do
code cells that VS Code marks as another language, that run a non-Python cell magic, or
that are empty; each skip leaves a line in ``notes``.

The virtual module: units are the Python code cells in file order, their IPython syntax
masked (see ipython.py). Unit k+1 starts on the line after unit k ends:
``start_line[k+1] = start_line[k] + units[k].line_count``, where line_count counts a
last line without a line break (cells rarely end with one) and Document.virtual_source
adds the break when it joins them. Cell numbers count every cell, markdown included.

Writing: render() splices the changed cells' new ``source`` values into the raw text at
the exact spans the old ones occupied (see _json_layout.py), in the style the file uses,
with every masked IPython line restored; the result is checked (it parses, nothing but
those sources changed, nbformat still validates it) before it is returned.
"""

from __future__ import annotations

import bisect
import codecs
import json
import re
import warnings
from dataclasses import dataclass
from typing import Dict, List, Optional

from ..findings import Location
from . import _json_layout
from ._files import read_file_bytes
from .base import LINE_BREAK, CodeUnit, Document, DocumentError
from .ipython import MaskedCell, NotPython, RestoreError, mask_cell, restore_cell

_PYTHON_LANGUAGE = re.compile(r"i?python[\d.]*\Z", re.IGNORECASE)


@dataclass
class _CellSource:
    """What render() needs about the cell behind a unit."""

    position: int  # 0-based index in the notebook's cells
    source: str  # the cell's source as stored (IPython syntax intact)
    masked: MaskedCell


class NotebookDocument(Document):
    kind = "notebook"

    def __init__(self, path: str, raw: bytes, text: str, notebook: dict):
        self.path = path
        self.raw = raw
        self.units: List[CodeUnit] = []
        self.notes: List[str] = []
        self._text = text  # the JSON text (raw without a UTF-8 BOM)
        self._bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        self._notebook = notebook
        self._cells: List[_CellSource] = []
        self._spans: Optional[List[Optional[_json_layout.SourceSpan]]] = None
        self._line_starts: Optional[List[int]] = None
        self._build_units()

    # ------------------------------------------------------------------ reading

    @classmethod
    def from_bytes(cls, path: str, data: Optional[bytes] = None) -> "NotebookDocument":
        if data is None:
            data = read_file_bytes(path)
        body = data.removeprefix(codecs.BOM_UTF8)
        if not body.strip():
            raise DocumentError(path, "empty file, not a notebook")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            line = body.count(b"\n", 0, error.start) + 1
            bad = body[error.start : error.start + 1].hex()
            raise DocumentError(
                path, f"not UTF-8 (byte 0x{bad} on line {line}); a notebook is UTF-8 JSON"
            ) from None
        try:
            notebook = json.loads(text)
        except json.JSONDecodeError as error:
            # A notebook is one JSON object: text that stops before its "}" was cut short.
            hint = "; the file ends early (truncated?)" if not text.rstrip().endswith("}") else ""
            where = f"line {error.lineno} column {error.colno}"
            raise DocumentError(
                path, f"invalid JSON at {where}: {_json_error_message(error)}{hint}"
            ) from None
        except RecursionError:
            raise DocumentError(path, "invalid notebook: JSON nested too deeply") from None
        _check_schema(path, notebook)
        return cls(path, data, text, notebook)

    def _build_units(self) -> None:
        metadata = _as_dict(self._notebook.get("metadata"))
        language = _kernel_language(metadata)
        if language is not None and not _PYTHON_LANGUAGE.match(language):
            self.notes.append(f"kernel language {language} is not Python: notebook skipped")
            return
        next_line = 1
        for number, cell in enumerate(self._notebook["cells"], start=1):
            if cell.get("cell_type") != "code":
                continue
            vscode_language = _as_dict(_as_dict(cell.get("metadata")).get("vscode")).get("languageId")
            if isinstance(vscode_language, str) and not _PYTHON_LANGUAGE.match(vscode_language):
                self.notes.append(f"cell {number}: VS Code language {vscode_language} is not Python, skipped")
                continue
            source = _joined(cell["source"])
            if not source:
                continue  # an empty cell has no lines to lint
            try:
                masked = mask_cell(source)
            except NotPython as error:
                self.notes.append(f"cell {number}: {error.reason}, skipped")
                continue
            cell_id = cell.get("id")
            unit = CodeUnit(
                index=len(self.units),
                text=masked.text,
                start_line=next_line,
                cell=number,
                cell_id=cell_id if isinstance(cell_id, str) else None,
                masked_lines=masked.masked_lines,
            )
            self.units.append(unit)
            self._cells.append(_CellSource(number - 1, source, masked))
            next_line += unit.line_count

    # ------------------------------------------------------------------ positions

    def location(self, line: int, col: int) -> Location:
        if not self.units:
            return Location(row=line, column=col + 1)
        unit = self.unit_at(line)
        if unit is None:  # past a cell's end (an end position): the cell before it
            unit = self.units[max(0, bisect.bisect_right(self._unit_starts(), line) - 1)]
        return Location(row=line - unit.start_line + 1, column=col + 1, cell=unit.cell, cell_id=unit.cell_id)

    def raw_line(self, line: int) -> Optional[int]:
        unit = self.unit_at(line)
        if unit is None:
            return None
        spans = self._source_spans()
        span = spans[self._cells[unit.index].position]
        if span is None:
            return None
        offset = span.start
        if span.items:
            old_items = self._notebook["cells"][self._cells[unit.index].position]["source"]
            offset = span.items[_item_holding_line(old_items, line - unit.start_line)][0]
        return self._json_line(offset)

    def _json_line(self, offset: int) -> int:
        if self._line_starts is None:
            self._line_starts = [match.end() for match in re.finditer("\n", self._text)]
        return bisect.bisect_right(self._line_starts, offset) + 1

    def _source_spans(self) -> List[Optional[_json_layout.SourceSpan]]:
        if self._spans is None:
            try:
                spans = _json_layout.find_source_spans(self._text)
            except (_json_layout.LayoutError, ValueError) as error:
                raise DocumentError(self.path, f"cannot locate cell sources in the JSON: {error}") from None
            if len(spans) != len(self._notebook["cells"]):
                raise DocumentError(self.path, "cannot locate cell sources in the JSON")
            self._spans = spans
        return self._spans

    # ------------------------------------------------------------------ writing

    def render(self, new_texts: Dict[int, str]) -> bytes:
        new_sources: Dict[int, str] = {}  # cell position -> restored source
        for index, new_text in new_texts.items():
            if not 0 <= index < len(self.units):
                raise DocumentError(self.path, f"no code unit {index} in this notebook")
            unit, cell = self.units[index], self._cells[index]
            if new_text == unit.text:
                continue
            try:
                source = restore_cell(cell.masked, new_text)
            except RestoreError as error:
                raise DocumentError(self.path, f"cell {unit.cell}: {error}; not written") from None
            if source != cell.source:
                new_sources[cell.position] = source
        if not new_sources:
            return self.raw

        spans = self._source_spans()
        style = _json_layout.detect_style(self._text)
        cells = self._notebook["cells"]
        pieces = []
        cursor = 0
        for position in sorted(new_sources):
            span = spans[position]
            pieces.append(self._text[cursor : span.start])
            pieces.append(
                _json_layout.render_source(
                    self._text, span, cells[position]["source"], new_sources[position], style
                )
            )
            cursor = span.end
        pieces.append(self._text[cursor:])
        new_text = "".join(pieces)
        self._check_rendered(new_text, new_sources)
        return self._bom + new_text.encode("utf-8")

    def _check_rendered(self, new_text: str, new_sources: Dict[int, str]) -> None:
        """Refuse a result that changed anything but the intended sources, or that a valid
        notebook would no longer pass nbformat validation with."""
        try:
            rendered = json.loads(new_text)
        except ValueError as error:
            raise DocumentError(
                self.path, f"internal error: the fixed notebook is not valid JSON ({error}); not written"
            ) from None
        old_cells = self._notebook["cells"]
        for position, source in new_sources.items():
            try:
                new_value = rendered["cells"][position]["source"]
            except (KeyError, IndexError, TypeError):
                new_value = None
            if (
                new_value is None
                or _joined(new_value) != source
                or type(new_value) is not type(old_cells[position]["source"])
            ):
                raise DocumentError(
                    self.path,
                    f"internal error: cell {position + 1} did not get its fixed source; not written",
                )
            rendered["cells"][position]["source"] = old_cells[position]["source"]
        if rendered != self._notebook:
            raise DocumentError(
                self.path, "internal error: the fix changed more than cell sources; not written"
            )
        problem = _validation_problem(new_text)
        if problem is not None and _validation_problem(self._text) is None:
            raise DocumentError(self.path, f"the fixed notebook does not validate: {problem}; not written")


# ---------------------------------------------------------------------- helpers


def _check_schema(path: str, notebook) -> None:
    """The structure units are built from; nbformat's full schema is checked on write."""
    if not isinstance(notebook, dict):
        raise DocumentError(path, f"not a notebook: the JSON is {_json_type(notebook)}, not an object")
    if "nbformat" not in notebook:
        raise DocumentError(path, "not a Jupyter notebook: no nbformat version")
    major = notebook["nbformat"]
    if not isinstance(major, int) or isinstance(major, bool):
        raise DocumentError(
            path, f"not a Jupyter notebook: nbformat is {_json_type(major)}, not a version number"
        )
    if major < 4:
        raise DocumentError(
            path,
            f"nbformat {major} is not supported, only nbformat 4 "
            "(upgrade it with `jupyter nbconvert --to notebook --inplace`)",
        )
    if major > 4:
        raise DocumentError(path, f"nbformat {major} is newer than this tool supports (only nbformat 4)")
    cells = notebook.get("cells")
    if cells is None:
        raise DocumentError(path, "invalid notebook: no 'cells' list")
    if not isinstance(cells, list):
        raise DocumentError(path, f"invalid notebook: 'cells' is {_json_type(cells)}, not a list")
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            raise DocumentError(path, f"invalid notebook: cell {number} is {_json_type(cell)}, not an object")
        if not isinstance(cell.get("cell_type"), str):
            raise DocumentError(path, f"invalid notebook: cell {number} has no cell_type")
        if "source" not in cell:
            raise DocumentError(path, f"invalid notebook: cell {number} has no source")
        source = cell["source"]
        if isinstance(source, list):
            for item_number, item in enumerate(source, start=1):
                if not isinstance(item, str):
                    kind = _json_type(item)
                    raise DocumentError(
                        path,
                        f"invalid notebook: cell {number} source line {item_number} is {kind}, not a string",
                    )
        elif not isinstance(source, str):
            kind = _json_type(source)
            raise DocumentError(
                path, f"invalid notebook: cell {number} source is {kind}, not a string or a list of strings"
            )


def _kernel_language(metadata: dict) -> Optional[str]:
    """The first non-Python language the kernelspec or language_info names, else the
    Python one, else None (no language recorded)."""
    found = None
    for value in (
        _as_dict(metadata.get("kernelspec")).get("language"),
        _as_dict(metadata.get("language_info")).get("name"),
    ):
        if isinstance(value, str) and value:
            if not _PYTHON_LANGUAGE.match(value):
                return value
            found = value
    return found


def _item_holding_line(items: List[str], line_offset: int) -> int:
    """The list item where the cell's 0-based line ``line_offset`` begins."""
    first_lines = []
    line = 0
    for item in items:
        first_lines.append(line)
        line += len(LINE_BREAK.findall(item))
    index = max(0, bisect.bisect_right(first_lines, line_offset) - 1)
    # Items without a line break share a line with the next one: the line begins in the first.
    while index > 0 and first_lines[index - 1] == first_lines[index]:
        index -= 1
    return index


def _validation_problem(text: str) -> Optional[str]:
    """nbformat's verdict on a notebook JSON text (None if valid). nbformat is imported
    here, on the write path only: reading stays on plain json."""
    try:
        import nbformat
        from nbformat import ValidationError
    except ImportError:  # pragma: no cover - nbformat is a dependency; without it, skip
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nbformat.validate(json.loads(text))
        except ValidationError as error:
            return str(getattr(error, "message", error)).splitlines()[0]
    return None


def _json_error_message(error: json.JSONDecodeError) -> str:
    # "Unterminated string starting at" expects a position after it; ours comes before.
    return re.sub(r"(?: starting)? at\Z", "", error.msg)


def _joined(source) -> str:
    return "".join(source) if isinstance(source, list) else source


def _as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"
