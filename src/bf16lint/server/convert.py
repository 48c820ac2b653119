"""Findings as the protocol shows them: diagnostics in the right cell, hovers, text edits."""
from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from lsprotocol import types

from ..documents.base import LINE_BREAK
from ..engine import line_hunks
from ..findings import Finding
from .buffers import Buffer, code_units

SOURCE = "bf16lint"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


@lru_cache(maxsize=None)
def rule_href(code: str) -> str:
    """The rule's page: the documentation URL the package declares (as the json and sarif
    reports use), else docs/rules.md beside a source checkout, else the project page."""
    from ..report._common import homepage_url, rule_url

    url = rule_url(code)
    if url:
        return url
    here = os.path.dirname(os.path.abspath(__file__))
    local = os.path.normpath(os.path.join(here, "..", "..", "..", "docs", "rules.md"))
    if os.path.isfile(local):
        from pathlib import Path

        return f"{Path(local).as_uri()}#{code.lower()}"
    return homepage_url()


def lines_of(text: str) -> List[str]:
    return LINE_BREAK.split(text)


def finding_place(buffer: Buffer, finding: Finding, encoding: str) -> Optional[Tuple[str, types.Range]]:
    """The text document (a script, or the cell) and the cell-relative range of a finding."""
    start, end = finding.location, finding.end_location
    if start is None:
        return None
    position = (start.cell - 1) if (buffer.notebook and start.cell is not None) else 0
    if not 0 <= position < len(buffer.cells):
        return None
    cell = buffer.cells[position]
    lines = lines_of(cell.text)
    begin = _position(lines, start.row - 1, start.column - 1, encoding)
    if end is None or (end.cell is not None and end.cell != start.cell):  # clamp to the cell
        finish = _position(lines, start.row - 1, 1 << 30, encoding)
    else:
        finish = _position(lines, end.row - 1, end.column - 1, encoding)
    return cell.uri, types.Range(start=begin, end=finish)


def _position(lines: List[str], row: int, column: int, encoding: str) -> types.Position:
    row = max(0, min(row, len(lines) - 1))
    line = lines[row]
    return types.Position(line=row, character=code_units(line, max(0, min(column, len(line))), encoding))


def diagnostic(finding: Finding, where: types.Range) -> types.Diagnostic:
    return types.Diagnostic(
        range=where,
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_href(finding.code)),
        source=SOURCE,
    )


def diagnostics(buffer: Buffer, findings: List[Finding], encoding: str) -> Dict[str, List[types.Diagnostic]]:
    """Every text document of the buffer (each cell, even without findings, so old
    diagnostics clear) with its diagnostics."""
    out: Dict[str, List[types.Diagnostic]] = {cell.uri: [] for cell in buffer.cells}
    for finding in findings:
        place = finding_place(buffer, finding, encoding)
        if place is not None:
            out[place[0]].append(diagnostic(finding, place[1]))
    return out


# ------------------------------------------------------------------ documents that do not parse
SYNTAX_CODE = "syntax-error"
_SKIPPED_CELL = re.compile(r"^cell (\d+): ")


def syntax_diagnostics(buffer: Buffer, document, error: Optional[str], notes: List[str],
                       encoding: str) -> Dict[str, List[types.Diagnostic]]:
    """What the CLI reports as "could not be checked", as diagnostics: a script that does
    not parse (the analysis `error`), and each notebook cell that does not parse (a note
    `cell N: ...; cell skipped`: the other cells were analysed). The unit is parsed again
    here, only when it failed, for the parser's line and column."""
    from ..engine import CELL_SKIPPED

    out: Dict[str, List[types.Diagnostic]] = {}
    units = list(getattr(document, "units", None) or [])
    if error is not None:
        unit = units[0] if units and units[0].cell is None else None
        _add_syntax(out, buffer, 0, unit.text if unit is not None else None, f"{error} (file not analysed)", encoding)
    for note in notes:
        match = _SKIPPED_CELL.match(note)
        if not note.endswith(CELL_SKIPPED) or match is None:
            continue
        number = int(match.group(1))
        unit = next((u for u in units if u.cell == number), None)
        reason = note[match.end(): -len(CELL_SKIPPED)]
        _add_syntax(out, buffer, number - 1, unit.text if unit is not None else None,
                    f"{reason} (cell not analysed; the other cells are)", encoding)
    return out


def _add_syntax(out, buffer: Buffer, position: int, text: Optional[str], reason: str, encoding: str) -> None:
    if not 0 <= position < len(buffer.cells):
        return
    cell = buffer.cells[position]
    lines = lines_of(cell.text)
    span = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    error = _syntax_error(text) if text is not None else None
    if error is not None and error.lineno:
        row, column = error.lineno - 1, max((error.offset or 1) - 1, 0)
        end_row = (error.end_lineno or error.lineno) - 1
        end_column = (error.end_offset or 0) - 1
        if (end_row, end_column) <= (row, column):  # a point: mark one character
            end_row, end_column = row, column + 1
        span = types.Range(start=_position(lines, row, column, encoding),
                           end=_position(lines, end_row, end_column, encoding))
    out.setdefault(cell.uri, []).append(types.Diagnostic(
        range=span, message=reason, severity=types.DiagnosticSeverity.Error, code=SYNTAX_CODE, source=SOURCE))


def _syntax_error(text: str) -> Optional[SyntaxError]:
    import ast

    try:
        ast.parse(text)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError):  # no position to show: the start
        return None
    return None


# ------------------------------------------------------------------ hover
_FLOW = re.compile(r"^(?P<tensor>`[^`]*` is bfloat16(?: \((?P<origin>.*?)\))?) and enters "
                   r"(?P<backbone>float32 backbone (?:`[^`]*`|[^`;])*?)(?= with no autocast|; |: |$)", re.S)


def hover_text(finding: Finding) -> str:
    """Where the tensor became bf16 and which backbone it reaches, read off the message
    (the message is the one place the analysis states both), then the whole message."""
    from ..rules import RULES

    rule = RULES.get(finding.code)
    title = f"**{finding.code}** ({finding.severity})"
    if rule is not None and getattr(rule, "name", None):
        title += f" {rule.name}"
    parts = [title]
    match = _FLOW.match(finding.message)
    if match is not None:
        origin = match.group("origin")
        parts.append(f"- **became bf16:** {origin}" if origin else f"- **bf16 input:** {match.group('tensor')}")
        parts.append(f"- **backbone:** {match.group('backbone')[len('float32 backbone '):]}")
    parts.append(finding.message)
    parts.append(f"[{finding.code} rule page]({rule_href(finding.code)})")
    return "\n\n".join(parts)


# ------------------------------------------------------------------ edits
def text_edits(old: str, new: str, encoding: str = "utf-16") -> List[types.TextEdit]:
    """Line-level edits turning `old` into `new` (positions in lines: no column counting)."""
    old_lines = old.splitlines(keepends=True)
    return [
        types.TextEdit(range=types.Range(start=_line_start(old_lines, first, encoding),
                                         end=_line_start(old_lines, last, encoding)), new_text=text)
        for first, last, text in line_hunks(old, new)
    ]


def _line_start(lines: List[str], index: int, encoding: str) -> types.Position:
    """The start of line `index`; past the last line, the end of the text."""
    if index < len(lines):
        return types.Position(line=index, character=0)
    if not lines:
        return types.Position(line=0, character=0)
    last = lines[-1]
    if last.endswith(("\n", "\r")):
        return types.Position(line=len(lines), character=0)
    return types.Position(line=len(lines) - 1, character=code_units(last, len(last), encoding))
