"""`# noqa` comments as data: which ones suppress nothing (BFD800), and --add-noqa.

A line's `# noqa: BFD001` is read as flake8 reads it (engine._noqa); only bf16lint codes
in the list are judged, so `# noqa: E501, BFD001` is about BFD001 alone, and a bare
`# noqa` (which other linters may need) is never reported.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Dict, List, Optional, Sequence, Set

from .findings import Finding

# `bf16lint rule BFD800`: the page of the one code that is not an analysis rule.
UNUSED_NOQA_PAGE = """<a id="bfd800"></a>

# BFD800: unused-noqa

A `# noqa` comment names a bf16lint code that suppresses nothing on its line. Severity: warning.

## What it does
Reports `# noqa: BFD001` (any bf16lint code or prefix in a line's `# noqa` list) on a line where no
finding with that code is reported, and `# bf16lint: noqa: BFD002` / `# ruff: noqa: BFD002` /
`# flake8: noqa: BFD002` file comments whose codes match no finding in the file. It is bf16lint's
version of ruff's RUF100. Codes of other tools in the same comment are left alone, and so is a
bare `# noqa` (other linters may need it).

## Why is this bad?
A stale suppression hides the next real finding on that line: once the code is fixed, the
comment stays and silences the crash it was written for when it comes back.

## Opt-in
The default selection (`BFD`) does not include it: select it by name,
`bf16lint --extend-select BFD800 .` or `extend-select = ["BFD800"]`.
Files that the prefilter skips (no bf16 evidence) are not checked.
"""

_LINE_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.I)
_CODES_SPLIT = re.compile(r"[,\s]+")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # Python's line breaks only


def _comment_lines(lines: Sequence[str]) -> Optional[Set[int]]:
    """1-based lines that hold a real comment (not a `#` inside a string), or None when
    the text does not tokenize (then every line is taken at its word)."""
    found: Set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if token.type == tokenize.COMMENT:
                found.add(token.start[0])
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return found


def _codes(text: str) -> List[str]:
    return [c.upper() for c in _CODES_SPLIT.split(text) if c]


def unused_noqa(lines: Sequence[str], enabled: Sequence[Finding], exempt, is_enabled=None) -> List[Finding]:
    """BFD800 findings: bf16lint codes in `# noqa: ...` (on a line) or in a file-level
    `# bf16lint|ruff|flake8: noqa: ...` that match no finding there. ``enabled`` are the
    findings before any suppression; ``exempt`` is engine.file_exemption's answer;
    ``is_enabled(code)`` tells codes the selection leaves out, which are named apart
    (as ruff's RUF100 says `non-enabled`)."""
    from .config import UNUSED_NOQA
    from .engine import _FILE_NOQA

    comments = _comment_lines(lines)
    by_line: Dict[int, List[str]] = {}
    for finding in enabled:
        by_line.setdefault(finding.line, []).append(finding.code)
    every = [f.code for f in enabled]
    out: List[Finding] = []
    for number, line in enumerate(lines, start=1):
        if "noqa" not in line.lower() or (comments is not None and number not in comments):
            continue
        file_level = _FILE_NOQA.match(line)
        if file_level:
            codes, reported, match_start, match_end = (
                file_level.group("codes") or "", every, line.index("#"), len(line.rstrip()))
        else:
            match = _LINE_NOQA.search(line)
            if match is None or not match.group("codes"):
                continue
            codes, reported, match_start, match_end = (
                match.group("codes"), by_line.get(number, []), match.start(), match.end())
        unused = [c for c in _codes(codes)
                  if c.startswith("BFD") and c != UNUSED_NOQA
                  and not any(code.startswith(c) for code in reported)]
        if unused:
            off = [c for c in unused if is_enabled is not None and not _any_enabled(c, is_enabled)]
            on = [c for c in unused if c not in off]
            parts = []
            if on:
                parts.append("unused: " + ", ".join(f"`{c}`" for c in on))
            if off:
                parts.append("non-enabled: " + ", ".join(f"`{c}`" for c in off))
            listed = "; ".join(parts)
            scope = "file-level `noqa` directive" if file_level else "`noqa` directive"
            out.append(Finding(
                code=UNUSED_NOQA,
                message=f"Unused {scope} ({listed}): no such finding {'in this file' if file_level else 'on this line'}",
                severity="warning",
                line=number, col=match_start, end_line=number, end_col=match_end,
            ))
    return out


def _any_enabled(code: str, is_enabled) -> bool:
    from .rules import RULES

    return any(is_enabled(rule) for rule in RULES if rule.startswith(code))


# ------------------------------------------------------------------ --add-noqa
def _with_noqa(line: str, codes: List[str]) -> Optional[str]:
    """The line with the codes added to its `# noqa` (or a new one), or None when a bare
    `# noqa` already covers it."""
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    match = _LINE_NOQA.search(body)
    if match is not None:
        if not match.group("codes"):
            return None
        have = _codes(match.group("codes"))
        merged = have + [c for c in codes if c not in have]
        return body[: match.start()] + "# noqa: " + ", ".join(merged) + body[match.end():] + ending
    return body.rstrip() + "  # noqa: " + ", ".join(codes) + ending


def _same_code(old: str, new: str) -> bool:
    """A comment never changes the syntax tree; if the tree changed, the `#` landed in
    a string or after a line continuation, and the edit is dropped."""
    try:
        return ast.dump(ast.parse(old)) == ast.dump(ast.parse(new))
    except (SyntaxError, ValueError):
        return False


def add_noqa(document, findings: Sequence[Finding]) -> int:
    """Write `# noqa: CODE` on the reported line of every finding; returns how many
    lines got a directive. The file is written atomically, as --fix writes."""
    from .documents import write_document

    wanted: Dict[int, List[str]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        codes = wanted.setdefault(finding.line, [])
        if finding.code not in codes:
            codes.append(finding.code)
    new_texts: Dict[int, str] = {}
    added = 0
    for virtual_line, codes in sorted(wanted.items()):
        unit = document.unit_at(virtual_line)
        if unit is None:
            continue
        text = new_texts.get(unit.index, unit.text)
        lines = _LINES.findall(text)
        row = virtual_line - unit.start_line
        if not 0 <= row < len(lines):
            continue
        changed = _with_noqa(lines[row], codes)
        if changed is None:
            continue
        candidate = "".join(lines[:row] + [changed] + lines[row + 1:])
        if _same_code(unit.text, candidate):
            new_texts[unit.index] = candidate
            added += 1
    if new_texts:
        write_document(document, document.render(new_texts))
    return added
