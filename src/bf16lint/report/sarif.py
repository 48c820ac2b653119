"""``sarif``: SARIF 2.1.0, as GitHub code scanning uploads it.

One run. ``tool.driver`` names bf16lint with its version and lists every rule passed to
``render`` (sorted by code) with its doc page as ``help`` (text and markdown) and its
severity as ``defaultConfiguration.level``. Each remaining finding is a result with
``ruleId``, ``ruleIndex`` (into ``driver.rules``), ``level``, ``message.text`` and one
``physicalLocation``: ``artifactLocation.uri`` is the path relative to the working
directory in posix form (a ``file://`` URI for files outside it) and ``region`` is
1-based, ``endColumn`` exclusive, columns counted in code points
(``run.columnKind = "unicodeCodePoints"``).

Notebooks: ``region.startLine``/``endLine`` are the lines *inside the .ipynb file* that
store the cell lines (``Document.raw_line``); the columns point into the JSON string on
that line when they can be mapped exactly and are left out otherwise. The cell position
a reader knows is kept in ``result.properties`` (``cell``, ``cellId``, ``cellRow``,
``cellColumn``).

Fixes: a finding with computed edits in a script gets ``fixes[0]`` with
``artifactChanges[0].replacements`` (``deletedRegion`` + ``insertedContent``; an empty
region inserts) and ``properties.applicability``. Notebook fixes are left out: their
edits are in cell coordinates, and a replacement of the .ipynb bytes would have to
rewrite JSON string literals.

Files that could not be checked are ``invocations[0].toolExecutionNotifications``
(level ``error``, the reason as message, the file as location).
"""
from __future__ import annotations

import json
import re
from typing import Dict, List, Optional

from .. import __version__
from ..findings import FileResult, Finding
from ._common import Options, artifact_uri, homepage_url, locate, raw_region, rule_url, sorted_findings

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _level(severity: str) -> str:
    if severity == "warning":
        return "warning"
    if severity in ("note", "info"):
        return "note"
    return "error"


def _plain(markdown: str) -> str:
    lines = []
    for line in markdown.splitlines():
        if line.startswith("```"):
            continue
        lines.append(re.sub(r"^#+\s*", "", line))
    return "\n".join(lines).strip() + "\n"


def rule_descriptor(code: str, rule: Optional[object]) -> dict:
    if rule is None:
        return {"id": code, "name": code, "shortDescription": {"text": code}}
    markdown = rule.doc_markdown()  # type: ignore[attr-defined]
    level = _level(rule.severity)  # type: ignore[attr-defined]
    descriptor = {
        "id": code,
        "name": rule.name,  # type: ignore[attr-defined]
        "shortDescription": {"text": rule.summary},  # type: ignore[attr-defined]
        "fullDescription": {"text": rule.what_it_does.strip() or rule.summary},  # type: ignore[attr-defined]
        "help": {"text": _plain(markdown), "markdown": markdown},
        "defaultConfiguration": {"level": level},
        "properties": {"problem.severity": level, "tags": ["bf16lint", "pytorch", "correctness"]},
    }
    url = rule_url(code)
    if url:
        descriptor["helpUri"] = url
    return descriptor


def _fixes(result: FileResult, finding: Finding, uri: str) -> Optional[list]:
    if finding.fix is None or not finding.edits:
        return None
    start, _ = locate(finding, result.document)
    if start.cell is not None:
        return None
    replacements = []
    for edit in finding.edits:
        if edit.location.cell is not None:
            return None
        replacements.append(
            {
                "deletedRegion": {
                    "startLine": edit.location.row,
                    "startColumn": edit.location.column,
                    "endLine": edit.end_location.row,
                    "endColumn": edit.end_location.column,
                },
                "insertedContent": {"text": edit.content},
            }
        )
    return [
        {
            "description": {"text": finding.fix.title or f"Fix {finding.code}"},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
            "properties": {"applicability": finding.fix.applicability},
        }
    ]


def result_object(result: FileResult, finding: Finding, rule_index: Dict[str, int]) -> dict:
    uri = artifact_uri(result.path)
    start, end = locate(finding, result.document)
    obj = {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": _level(finding.severity),
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": raw_region(result.document, finding),
                }
            }
        ],
    }
    if start.cell is not None:
        props = {"cell": start.cell, "cellRow": start.row, "cellColumn": start.column}
        if start.cell_id is not None:
            props["cellId"] = start.cell_id
        if end is not None:
            props["cellEndRow"] = end.row
            props["cellEndColumn"] = end.column
        obj["properties"] = props
    fixes = _fixes(result, finding, uri)
    if fixes:
        obj["fixes"] = fixes
    return obj


def sarif_log(results: List[FileResult], rules: Dict[str, object]) -> dict:
    codes = sorted(set(rules))
    for result in results:
        for f in result.findings:
            if f.code not in rules and f.code not in codes:
                codes.append(f.code)
    descriptors = [rule_descriptor(code, rules.get(code)) for code in codes]
    rule_index = {code: i for i, code in enumerate(codes)}

    sarif_results = []
    notifications = []
    for result in results:
        if result.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{result.path}: {result.error}"},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(result.path)}}}
                    ],
                }
            )
        for f in sorted_findings(result.findings):
            sarif_results.append(result_object(result, f, rule_index))

    driver = {
        "name": "bf16lint",
        "version": __version__,
        "informationUri": homepage_url(),
        "rules": descriptors,
    }
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "results": sarif_results,
                "invocations": [
                    {"executionSuccessful": True, "toolExecutionNotifications": notifications}
                ],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def render_sarif(results: List[FileResult], rules: Dict[str, object], options: Options) -> str:
    return json.dumps(sarif_log(results, rules), indent=2, ensure_ascii=False) + "\n"
