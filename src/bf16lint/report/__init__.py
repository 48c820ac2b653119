"""Reports: turn FileResults into the text a user, a CI system or an editor reads.

``render(fmt, results, rules, ...)`` returns the whole output as one string (ending in a
newline when not empty); the CLI decides where it goes (stdout, ``--output-file``).
Each format lives in its own module, imported only when used:

=============  ===========================================================  ============
format         what                                                         module
=============  ===========================================================  ============
text           ruff-like: header, source line with carets, help, summary    text.py
concise        ``path:row:col: CODE message`` per finding, then summary     text.py
json           list of objects shaped like ruff's json                      jsonfmt.py
json-lines     one such object per line                                     jsonfmt.py
github         GitHub Actions annotations (notebooks: real .ipynb lines)    github.py
sarif          SARIF 2.1.0 for code scanning (notebooks: real .ipynb lines) sarif.py
=============  ===========================================================  ============

What a FileResult must carry (the engine fills it):

- ``findings``: remaining findings, each with ``location``/``end_location`` (display
  positions: 1-based row and column, ``cell``/``cell_id`` in notebooks) and ``edits``
  when a fix was computed. Missing locations are asked of ``document.location``.
- ``fixed``: findings fixed in this run (summary counts, ``--show-fixes``).
- ``error``: the reason a file could not be read, parsed or written. text/concise print
  ``path: error: reason`` in place; json formats add an object with ``"code": null`` and
  ``"severity": "fatal"``; github an ``::error`` without a line; sarif a tool execution
  notification.
- ``notes``: printed only by ``text``, dimmed when coloured.
- ``document``: needed for source lines (``units``), notebook raw lines (``raw_line``,
  ``raw``); reports work without it, with less detail.

``statistics`` applies to text/concise (a table) and json/json-lines (objects); github
and sarif ignore it. ``show_fixes`` applies to text. ``color`` adds ANSI codes to
text/concise and nothing else. ``unsafe_fixes`` tells whether unsafe fixes count as
available (the CLI passes ``--unsafe-fixes``).
"""
from __future__ import annotations

import importlib
from typing import Dict, List

from ._common import Options, source_line

__all__ = ["FORMATS", "render", "source_line", "unified_diff"]

FORMATS = ("text", "concise", "json", "json-lines", "github", "sarif")

_RENDERERS = {
    "text": ("text", "render_text"),
    "concise": ("text", "render_concise"),
    "json": ("jsonfmt", "render_json"),
    "json-lines": ("jsonfmt", "render_json_lines"),
    "github": ("github", "render_github"),
    "sarif": ("sarif", "render_sarif"),
}


def render(
    fmt: str,
    results: List[object],
    rules: Dict[str, object],
    *,
    color: bool = False,
    show_fixes: bool = False,
    statistics: bool = False,
    fix_mode: bool = False,
    unsafe_fixes: bool = False,
) -> str:
    """The report for ``results`` in format ``fmt`` (one of FORMATS)."""
    try:
        module_name, function_name = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; choose from {', '.join(FORMATS)}") from None
    module = importlib.import_module(f".{module_name}", __name__)
    options = Options(
        color=color,
        show_fixes=show_fixes,
        statistics=statistics,
        fix_mode=fix_mode,
        unsafe_fixes=unsafe_fixes,
    )
    return getattr(module, function_name)(list(results), dict(rules or {}), options)


def __getattr__(name: str):
    if name == "unified_diff":
        from .diff import unified_diff

        return unified_diff
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
