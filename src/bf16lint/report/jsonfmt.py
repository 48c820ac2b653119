"""``json`` (an indented list) and ``json-lines`` (one compact object per line).

Each finding is an object shaped like ruff's json output where the two overlap::

    {
      "cell": null,                    # 1-based cell number in a notebook, else null
      "cell_id": null,                 # the cell's nbformat id when it has one
      "code": "BFD001",
      "end_location": {"column": 30, "row": 41},
      "filename": "train.py",          # the path as the CLI was given it
      "fix": {                          # or null
        "applicability": "safe",       # "safe" | "unsafe"
        "edits": [{"content": "...", "end_location": {...}, "location": {...}}],
        "message": "Cast `images` to float32 after the device move"
      },
      "location": {"column": 17, "row": 41},
      "message": "...",
      "severity": "error",             # "error" | "warning" | "fatal" (see below)
      "url": null                      # docs anchor when the package declares one
    }

Rows and columns are 1-based; in a notebook the row counts within the cell (and the
edits' rows too). Remaining findings only: findings fixed in this run are left out.

A file that could not be read, parsed or written is one object with ``"code": null``,
``"severity": "fatal"``, ``"message"`` the reason, ``location``/``end_location``
``{"row": 1, "column": 1}`` (as ruff places I/O and syntax errors) and ``fix`` null.

With ``--statistics`` the output is instead a list of
``{"code", "name", "count", "fixable", "fixable_count"}`` (ruff's shape plus the count).
"""
from __future__ import annotations

import json
from typing import Dict, List

from ..findings import Edit, FileResult, Finding, Location
from ._common import Options, code_counts, locate, rule_url, sorted_findings


def _point(loc: Location) -> dict:
    return {"row": loc.row, "column": loc.column}


def _edit(edit: Edit) -> dict:
    return {
        "content": edit.content,
        "location": _point(edit.location),
        "end_location": _point(edit.end_location),
    }


def finding_object(result: FileResult, finding: Finding) -> dict:
    start, end = locate(finding, result.document)
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability,
            "message": finding.fix.title or None,
            "edits": [_edit(e) for e in finding.edits],
        }
    return {
        "code": finding.code,
        "message": finding.message,
        "severity": finding.severity,
        "filename": result.path,
        "cell": start.cell,
        "cell_id": start.cell_id,
        "location": _point(start),
        "end_location": _point(end),
        "fix": fix,
        "url": rule_url(finding.code),
    }


def error_object(result: FileResult) -> dict:
    return {
        "code": None,
        "message": result.error,
        "severity": "fatal",
        "filename": result.path,
        "cell": None,
        "cell_id": None,
        "location": {"row": 1, "column": 1},
        "end_location": {"row": 1, "column": 1},
        "fix": None,
        "url": None,
    }


def objects(results: List[FileResult]) -> List[dict]:
    out = []
    for result in results:
        if result.error:
            out.append(error_object(result))
        for f in sorted_findings(result.findings):
            out.append(finding_object(result, f))
    return out


def statistics_objects(results: List[FileResult], rules: Dict[str, object], options: Options) -> List[dict]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "count": c.count,
            "fixable": c.fixable_count > 0,
            "fixable_count": c.fixable_count,
        }
        for c in code_counts(results, rules, options)
    ]


def _items(results, rules, options) -> List[dict]:
    if options.statistics:
        return statistics_objects(results, rules, options)
    return objects(results)


def render_json(results: List[FileResult], rules: Dict[str, object], options: Options) -> str:
    return json.dumps(_items(results, rules, options), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_json_lines(results: List[FileResult], rules: Dict[str, object], options: Options) -> str:
    return "".join(
        json.dumps(item, sort_keys=True, ensure_ascii=False) + "\n"
        for item in _items(results, rules, options)
    )
