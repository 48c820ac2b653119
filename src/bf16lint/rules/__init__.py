"""Rules turn analysis hits into findings: one module per rule code.

Each rule module holds a ``RULE`` (its doc page and VALID/INVALID examples) and a
``matches(hit)`` predicate; ``message(hit)`` says what happened and what to do.
"""
from __future__ import annotations

import ast
from typing import Dict, List

from ..analysis import DEFAULT_KNOWLEDGE, Knowledge, find_hits
from ..findings import Finding
from . import bfd001, bfd002, bfd003
from .base import Example, Rule

_MODULES = (bfd001, bfd002, bfd003)
RULES: Dict[str, Rule] = {module.RULE.code: module.RULE for module in _MODULES}
# When one call is reached in several contexts, the most certain crash is reported.
_RANK = {"BFD001": 0, "BFD003": 1, "BFD002": 2}

__all__ = ["RULES", "Rule", "Example", "check_tree"]


def check_tree(tree: ast.Module, lines: List[str], knowledge: Knowledge = DEFAULT_KNOWLEDGE,
               where=None, resolver=None) -> List[Finding]:
    """Findings for a parsed module. `where(line)` names a line in messages (a notebook
    passes one that says which cell; project mode one that names other modules' files);
    `resolver` follows imports of the project's own modules (bf16lint.project)."""
    from ._messages import script_lines

    where = where or script_lines
    findings: Dict[tuple, Finding] = {}
    source = None
    for hit in find_hits(tree, lines, knowledge, resolver):
        for module in _MODULES:
            if module.matches(hit):
                break
        else:
            continue
        if source is None:
            from ..analysis.scopes import SourceMap

            source = SourceMap(lines)
        call = hit.call
        finding = Finding(
            code=module.RULE.code,
            message=module.message(hit, where),
            severity=module.RULE.severity,
            line=call.lineno,
            col=source.char_col(call.lineno, call.col_offset),
            end_line=call.end_lineno,
            end_col=source.char_col(call.end_lineno, call.end_col_offset),
            fix=hit.fix,
            wrap_fix=hit.wrap_fix,
            unsafe_fix=hit.unsafe_fix,
        )
        _keep(findings, finding)
        line = bfd003.autocast_site(hit)
        if line is not None:  # the autocast that seemed to protect the call, marked where it stands
            _keep(findings, _at_line(bfd003, hit, line, lines, where))
    return sorted(findings.values(), key=lambda f: f.sort_key)


def _keep(findings: Dict[tuple, Finding], finding: Finding) -> None:
    key = (finding.line, finding.col)
    current = findings.get(key)
    if current is None or _RANK[finding.code] < _RANK[current.code]:
        findings[key] = finding


def _at_line(module, hit, line: int, lines: List[str], where) -> Finding:
    """A finding spanning the code of one line (an autocast `with` or decorator), no fix:
    the fix belongs to the call it failed to protect."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    start = len(text) - len(text.lstrip())
    return Finding(
        code=module.RULE.code,
        message=module.message(hit, where),
        severity=module.RULE.severity,
        line=line,
        col=start,
        end_line=line,
        end_col=max(start, len(text.rstrip())),
    )
