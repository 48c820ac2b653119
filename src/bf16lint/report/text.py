"""The human formats: ``text`` (default, ruff-like) and ``concise``.

text::

    train.py:41:17: BFD001 bf16 tensor `images` enters float32 backbone ...
       |
    41 |         feats = model(images)
       |                 ^^^^^^^^^^^^^ BFD001
       |
       = help: Cast `images` to float32 after the device move ([*] fixable)

    Found 1 error.
    [*] 1 fixable with the `--fix` option.

Notebook findings read ``path:cell N:row:col`` (row within the cell). Files that could
not be analysed print ``path: error: reason`` in place, notes (skipped cells) print
``path: note: ...`` (text only). ANSI colour only when ``color=True``.
``concise`` prints one ``path:row:col: CODE message`` line per finding, file errors,
and the same summary as ``text``.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from ..findings import UNSAFE, FileResult, Finding
from ._common import (
    Options,
    caret_prefix,
    code_counts,
    display_width,
    fix_applies,
    locate,
    plural,
    position_prefix,
    severity_phrase,
    short_position,
    sorted_findings,
    source_line,
    totals,
)

_RESET = "\x1b[0m"
_STYLES = {
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "red": "\x1b[1;31m",
    "yellow": "\x1b[1;33m",
    "cyan": "\x1b[36m",
    "blue": "\x1b[1;34m",
    "green": "\x1b[32m",
}


class _Paint:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        if not self.enabled or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"

    def severity(self, severity: str, text: str) -> str:
        return self("yellow" if severity == "warning" else "red", text)


def _header(path: str, finding: Finding, paint: _Paint, document: object) -> str:
    start, _ = locate(finding, document)
    prefix = position_prefix(path, start)
    # Bold the path part only; the position numbers stay plain.
    pos = prefix[len(path):]
    return (
        f"{paint('bold', path)}{pos}{paint('cyan', ':')} "
        f"{paint.severity(finding.severity, finding.code)} {finding.message}"
    )


def _help_line(finding: Finding, options: Options) -> str:
    fix = finding.fix
    if fix is None:
        return ""
    if fix_applies(finding, options.unsafe_fixes):
        status = "[*] fixable"
    elif fix.applicability == UNSAFE:
        status = "[*] fixable with --unsafe-fixes"
    else:  # pragma: no cover - an applicability we do not know
        status = f"fix: {fix.applicability}"
    title = (fix.title or "").strip()
    return f"{title} ({status})" if title else status


def _snippet(finding: Finding, document: object, paint: _Paint) -> Optional[Tuple[List[str], str]]:
    start, end = locate(finding, document)
    line = source_line(document, finding.line) if document is not None else None
    if line is None:
        return None
    col0 = max(0, min(start.column - 1, len(line)))
    if end is not None and finding.end_line == finding.line and end.row == start.row:
        end0 = max(col0, min(end.column - 1, len(line)))
    else:
        end0 = len(line)  # a span over several lines: underline to the end of the first
    width = max(1, display_width(line[col0:end0]))
    gutter = str(start.row)
    pad = " " * len(gutter)
    bar = paint("blue", "|")
    carets = paint.severity(finding.severity, "^" * width + " " + finding.code)
    return [
        f"{pad} {bar}",
        f"{paint('blue', gutter)} {bar} {line}".rstrip(),
        f"{pad} {bar} {caret_prefix(line, col0)}{carets}",
        f"{pad} {bar}",
    ], pad


def _diagnostic(path: str, finding: Finding, document: object, paint: _Paint, options: Options) -> List[str]:
    out = [_header(path, finding, paint, document)]
    snippet = _snippet(finding, document, paint)
    pad = " "
    if snippet:
        lines, pad = snippet
        out.extend(lines)
    help_text = _help_line(finding, options)
    if help_text:
        out.append(f"{pad} {paint('blue', '=')} {paint('bold', 'help')}: {help_text}")
    return out


def _error_line(result: FileResult, paint: _Paint) -> str:
    return f"{paint('bold', result.path)}: {paint('red', 'error')}: {result.error}"


def _note_lines(result: FileResult, paint: _Paint) -> List[str]:
    return [paint("dim", f"{result.path}: note: {note}") for note in result.notes or ()]


def statistics_lines(results: List[FileResult], rules: Dict[str, object], options: Options) -> List[str]:
    """``--statistics``: remaining findings per code, with the fixable count and name."""
    rows = code_counts(results, rules, options)
    if not rows:
        return []
    header = ("count", "code", "fixable", "name")
    table = [(str(r.count), r.code, str(r.fixable_count), r.name) for r in rows]
    widths = [max(len(header[i]), *(len(row[i]) for row in table)) for i in range(3)]

    def fmt(row):
        return (
            f"{row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}"
        ).rstrip()
    return [fmt(header)] + [fmt(row) for row in table]


def fixes_lines(results: List[FileResult], rules: Dict[str, object], options: Options, paint: _Paint) -> List[str]:
    """``--show-fixes``: the findings fixed in this run, per file."""
    fixed = [r for r in results if r.fixed]
    if not fixed:
        return ["No errors fixed"] if options.fix_mode else []
    count = sum(len(r.fixed) for r in fixed)
    out = [f"Fixed {plural(count, 'error')}:"]
    for result in fixed:
        out.append(f"- {paint('bold', result.path)}:")
        for f in sorted_findings(result.fixed):
            start, _ = locate(f, result.document)
            rule = rules.get(f.code)
            name = f" ({rule.name})" if rule is not None and getattr(rule, "name", "") else ""
            out.append(f"    {short_position(start)}: {paint.severity(f.severity, f.code)}{name}")
    return out


def summary_lines(results: List[FileResult], options: Options) -> List[str]:
    t = totals(results, options)
    found = t.remaining + t.fixed
    out: List[str] = []
    if found == 0 and t.file_errors == 0:
        return ["All checks passed!"]
    if found or not t.file_errors:
        phrase = severity_phrase(f for r in results for f in list(r.findings) + list(r.fixed))
        if options.fix_mode or t.fixed:
            out.append(f"Found {phrase} ({t.fixed} fixed, {t.remaining} remaining).")
        else:
            out.append(f"Found {phrase}.")
    unwritten = sum(1 for r in results if r.error and getattr(r, "unwritten", False))
    if t.file_errors - unwritten:
        out.append(f"{plural(t.file_errors - unwritten, 'file')} could not be checked.")
    if unwritten:
        out.append(f"{plural(unwritten, 'file')} could not be written.")
    if not options.fix_mode and t.fixable:
        out.append(f"[*] {t.fixable} fixable with the `--fix` option.")
    if t.hidden:
        fixes = "1 hidden fix" if t.hidden == 1 else f"{t.hidden} hidden fixes"
        out.append(f"({fixes} can be enabled with the `--unsafe-fixes` option.)")
    return out


def _finish(lines: List[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def render_text(results: List[FileResult], rules: Dict[str, object], options: Options) -> str:
    paint = _Paint(options.color)
    out: List[str] = []
    for result in results:
        if result.error:
            out.append(_error_line(result, paint))
        out.extend(_note_lines(result, paint))
        if options.statistics:
            continue
        for f in sorted_findings(result.findings):
            out.extend(_diagnostic(result.path, f, result.document, paint, options))
            out.append("")
    if options.statistics:
        table = statistics_lines(results, rules, options)
        if table:
            out.extend(table)
    if options.show_fixes:
        block = fixes_lines(results, rules, options, paint)
        if block:
            if out and out[-1] != "":
                out.append("")
            out.extend(block)
            out.append("")
    if out and out[-1] != "":
        out.append("")
    out.extend(summary_lines(results, options))
    return _finish(out)


def render_concise(results: List[FileResult], rules: Dict[str, object], options: Options) -> str:
    paint = _Paint(options.color)
    out: List[str] = []
    for result in results:
        if result.error:
            out.append(_error_line(result, paint))
        if options.statistics:
            continue
        for f in sorted_findings(result.findings):
            out.append(_header(result.path, f, paint, result.document))
    if options.statistics:
        out.extend(statistics_lines(results, rules, options))
    out.extend(summary_lines(results, options))
    return _finish(out)
