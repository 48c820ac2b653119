"""Helpers every output format shares: positions, source lines, fix status, counts.

Nothing here prints; each format module builds its string from these pieces.
"""
from __future__ import annotations

import os
import re
import unicodedata
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple
from urllib.parse import quote

from ..findings import SAFE, UNSAFE, FileResult, Finding, Location

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Options:
    color: bool = False
    show_fixes: bool = False
    statistics: bool = False
    fix_mode: bool = False
    unsafe_fixes: bool = False


# --------------------------------------------------------------------------- positions


def locate(finding: Finding, document: object = None) -> Tuple[Location, Location]:
    """The finding's display start and end (1-based row and column, cell if any).

    The engine normally fills ``finding.location``/``end_location``; when it has not,
    ask the document, and as a last resort use the virtual position itself.
    """
    start = finding.location
    end = finding.end_location
    if start is None:
        start = _ask_location(document, finding.line, finding.col)
    if end is None:
        end = _ask_location(document, finding.end_line, finding.end_col)
    return start, end


def _ask_location(document: object, line: int, col: int) -> Location:
    if document is not None:
        try:
            return document.location(line, col)  # type: ignore[attr-defined]
        except Exception:  # pragma: no cover - a broken document must not stop a report
            pass
    return Location(row=line, column=col + 1)


def is_notebook_position(loc: Location) -> bool:
    return loc.cell is not None


def position_prefix(path: str, loc: Location) -> str:
    """``path:row:col`` or, in a notebook, ``path:cell N:row:col``."""
    if loc.cell is not None:
        return f"{path}:cell {loc.cell}:{loc.row}:{loc.column}"
    return f"{path}:{loc.row}:{loc.column}"


def short_position(loc: Location) -> str:
    if loc.cell is not None:
        return f"cell {loc.cell}:{loc.row}:{loc.column}"
    return f"{loc.row}:{loc.column}"


def sorted_findings(findings: Iterable[Finding]) -> List[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


# --------------------------------------------------------------------------- source lines


def _unit_lines(text: str) -> List[str]:
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "" and text:
        lines.pop()  # the empty string after a final line break
    return lines


def find_unit(document: object, virtual_line: int):
    """The document unit whose virtual line range holds ``virtual_line`` (or None)."""
    for unit in getattr(document, "units", None) or ():
        count = len(_unit_lines(unit.text))
        if unit.start_line <= virtual_line < unit.start_line + max(count, 1):
            return unit
    return None


def source_line(document: object, virtual_line: int) -> Optional[str]:
    """The text of a virtual line (without its line break), as the analysis saw it.

    For notebooks this is the cell line with IPython syntax masked (same length).
    """
    unit = find_unit(document, virtual_line)
    if unit is None:
        return None
    lines = _unit_lines(unit.text)
    index = virtual_line - unit.start_line
    if 0 <= index < len(lines):
        return lines[index]
    return None


def display_width(text: str) -> int:
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def caret_prefix(line: str, column0: int) -> str:
    """Whitespace that lines up under ``line[column0]`` (tabs kept, wide chars doubled)."""
    out = []
    for ch in line[:column0]:
        if ch == "\t":
            out.append("\t")
        else:
            out.append(" " * display_width(ch))
    return "".join(out)


# --------------------------------------------------------------------------- raw positions


def raw_region(document: object, finding: Finding) -> Dict[str, int]:
    """Start/end line and column of the finding in the file on disk (1-based).

    Scripts: the display location. Notebooks: ``document.raw_line`` gives the line of
    the .ipynb file storing the cell line; the columns are mapped into the JSON string
    literal on that line when it can be done exactly, and left out otherwise.
    Returns a dict with ``startLine`` and ``endLine``, plus ``startColumn`` and
    ``endColumn`` when known.
    """
    start, end = locate(finding, document)
    if start.cell is None:
        region = {"startLine": start.row, "startColumn": start.column}
        if end is not None:
            region["endLine"] = end.row
            region["endColumn"] = end.column
        return region
    start_line, start_col = _raw_point(document, finding.line, start)
    end_line, end_col = _raw_point(document, finding.end_line, end)
    if start_line is None:
        # ruff's behaviour, as a last resort only: the top of the file.
        return {"startLine": 1, "endLine": 1}
    region = {"startLine": start_line}
    if end_line is None or end_line < start_line:
        end_line, end_col = start_line, None
    region["endLine"] = end_line
    if start_col is not None and end_col is not None:
        if end_line > start_line or end_col > start_col:
            region["startColumn"] = start_col
            region["endColumn"] = end_col
    return region


def _raw_point(document: object, virtual_line: int, loc: Optional[Location]):
    if document is None or loc is None:
        return None, None
    try:
        line = document.raw_line(virtual_line)  # type: ignore[attr-defined]
    except Exception:
        line = None
    if not line:
        return None, None
    column = None
    try:
        column = _raw_column(document, line, virtual_line, loc)
    except Exception:  # pragma: no cover - columns are a bonus, never a failure
        column = None
    return line, column


_STRING_START = re.compile(r'\s*(?:"source"\s*:\s*)?"')


_RAW_LINES_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _raw_lines(document: object) -> List[str]:
    try:
        cached = _RAW_LINES_CACHE.get(document)
    except TypeError:  # unhashable or not weak-referenceable: no cache
        cached = None
    if cached is not None and cached[0] is getattr(document, "raw", None):
        return cached[1]
    raw = getattr(document, "raw", None)
    if isinstance(raw, (bytes, bytearray)):
        text = bytes(raw).decode("utf-8", errors="replace")
    elif isinstance(raw, str):
        text = raw
    else:
        text = ""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    try:
        _RAW_LINES_CACHE[document] = (getattr(document, "raw", None), lines)
    except TypeError:
        pass
    return lines


def _decode_json_string(text: str, start: int):
    """Decode the JSON string literal whose body starts at ``text[start]``.

    Returns (decoded, offsets) where offsets[i] is the index in ``text`` of decoded
    character i and offsets[len(decoded)] the index of the closing quote; or None.
    """
    decoded: List[str] = []
    offsets: List[int] = []
    i = start
    n = len(text)
    simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
    while i < n:
        ch = text[i]
        if ch == '"':
            offsets.append(i)
            return "".join(decoded), offsets
        if ch != "\\":
            decoded.append(ch)
            offsets.append(i)
            i += 1
            continue
        if i + 1 >= n:
            return None
        esc = text[i + 1]
        if esc in simple:
            decoded.append(simple[esc])
            offsets.append(i)
            i += 2
            continue
        if esc != "u" or i + 6 > n:
            return None
        code = int(text[i + 2 : i + 6], 16)
        width = 6
        if 0xD800 <= code < 0xDC00 and text[i + 6 : i + 8] == "\\u" and i + 12 <= n:
            low = int(text[i + 8 : i + 12], 16)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                width = 12
        decoded.append(chr(code))
        offsets.append(i)
        i += width
    return None


def _raw_column(document: object, raw_line: int, virtual_line: int, loc: Location) -> Optional[int]:
    lines = _raw_lines(document)
    if not 1 <= raw_line <= len(lines):
        return None
    text = lines[raw_line - 1].rstrip("\r")
    match = _STRING_START.match(text)
    if match is None:
        return None
    result = _decode_json_string(text, match.end())
    if result is None:
        return None
    decoded, offsets = result
    expected = source_line(document, virtual_line)
    if expected is None:
        return None
    # Start of the cell line inside the decoded string: a list-form source stores one
    # line per JSON string; a string-form source stores the whole cell in one.
    pieces = decoded.split("\n")
    if decoded.endswith("\n"):
        pieces.pop()
    if len(pieces) == 1:
        line_start = 0
        piece = pieces[0]
    else:
        index = loc.row - 1
        if not 0 <= index < len(pieces):
            return None
        line_start = sum(len(p) + 1 for p in pieces[:index])
        piece = pieces[index]
    if piece.endswith("\r"):
        piece = piece[:-1]
    if len(piece) != len(expected):
        return None
    col0 = loc.column - 1
    if not 0 <= col0 <= len(piece):
        return None
    return offsets[line_start + col0] + 1


# --------------------------------------------------------------------------- paths, urls


def relative_posix(path: str) -> Optional[str]:
    """``path`` as a posix path relative to the working directory, or None when it is
    an absolute path outside it."""
    p = Path(path)
    if p.is_absolute():
        try:
            rel = os.path.relpath(str(p), os.getcwd())
        except ValueError:  # another drive on Windows
            return None
        if rel == ".." or rel.startswith(".." + os.sep):
            return None
    else:
        rel = os.path.normpath(path)
    posix = rel.replace(os.sep, "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def artifact_uri(path: str) -> str:
    """A relative posix URI for ``path`` (relative to the working directory when the file
    lies below it), or an absolute ``file://`` URI otherwise."""
    rel = relative_posix(path)
    if rel is None:
        return Path(path).resolve().as_uri()
    return quote(rel, safe="/-_.~")


def project_urls() -> Dict[str, str]:
    """Project-URL entries of the installed distribution (``[project.urls]``)."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata
    except ImportError:  # pragma: no cover - Python < 3.8
        return {}
    try:
        entries = metadata("bf16lint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return {}
    urls = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        if url.strip():
            urls[label.strip().lower()] = url.strip()
    return urls


FALLBACK_HOMEPAGE = "https://pypi.org/project/bf16lint/"


def homepage_url() -> str:
    """``[project.urls]`` Homepage (or Repository/Source/Documentation), else PyPI."""
    urls = project_urls()
    for key in ("homepage", "repository", "source", "documentation"):
        if key in urls:
            return urls[key]
    return FALLBACK_HOMEPAGE


def rule_url(code: Optional[str]) -> Optional[str]:
    """The rule's docs anchor: ``<Documentation URL>#<code in lower case>``, when the
    distribution declares a ``Documentation`` (or ``Rules``) project URL; else None."""
    if not code:
        return None
    urls = project_urls()
    base = urls.get("rules") or urls.get("documentation")
    if not base:
        return None
    return f"{base.split('#')[0]}#{code.lower()}"


# --------------------------------------------------------------------------- fixes, counts


def fix_applies(finding: Finding, unsafe_fixes: bool) -> bool:
    fix = finding.fix
    if fix is None:
        return False
    return fix.applicability == SAFE or (unsafe_fixes and fix.applicability == UNSAFE)


def hidden_unsafe(finding: Finding, unsafe_fixes: bool) -> bool:
    fix = finding.fix
    return fix is not None and fix.applicability == UNSAFE and not unsafe_fixes


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def severity_phrase(findings: Iterable[Finding]) -> str:
    """`2 errors and 1 warning`, `1 error`, `3 warnings`: errors and warnings counted apart."""
    findings = list(findings)
    warnings = sum(1 for f in findings if f.severity == "warning")
    errors = len(findings) - warnings
    if errors and warnings:
        return f"{plural(errors, 'error')} and {plural(warnings, 'warning')}"
    if warnings:
        return plural(warnings, "warning")
    return plural(errors, "error")


@dataclass
class Totals:
    remaining: int = 0
    fixed: int = 0
    fixable: int = 0  # remaining findings whose fix applies under the current settings
    hidden: int = 0  # remaining findings with an unsafe fix, --unsafe-fixes not given
    file_errors: int = 0


def totals(results: List[FileResult], options: Options) -> Totals:
    t = Totals()
    for result in results:
        t.remaining += len(result.findings)
        t.fixed += len(result.fixed)
        if result.error:
            t.file_errors += 1
        for f in result.findings:
            if fix_applies(f, options.unsafe_fixes):
                t.fixable += 1
            elif hidden_unsafe(f, options.unsafe_fixes):
                t.hidden += 1
    return t


@dataclass
class CodeCount:
    code: str
    name: str
    count: int
    fixable_count: int


def code_counts(results: List[FileResult], rules: Dict[str, object], options: Options) -> List[CodeCount]:
    """Remaining findings per code, most frequent first (then by code)."""
    counts: Dict[str, CodeCount] = {}
    for result in results:
        for f in result.findings:
            entry = counts.get(f.code)
            if entry is None:
                rule = rules.get(f.code)
                entry = counts[f.code] = CodeCount(f.code, getattr(rule, "name", ""), 0, 0)
            entry.count += 1
            if fix_applies(f, options.unsafe_fixes):
                entry.fixable_count += 1
    return sorted(counts.values(), key=lambda c: (-c.count, c.code))
