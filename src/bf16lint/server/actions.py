"""Code actions: a finding's fix (safe: preferred; unsafe: labelled so) and fix-all.

A fix is applied to the unit's code the way `bf16lint --fix` applies it, the document is
rendered back (a notebook cell gets its magics restored), and the result is diffed against
the text the editor holds: the edits land in the script or in the fixed cell's document.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional

from lsprotocol import types

from ..engine import _plan_line, fix_document
from ..findings import SAFE, Finding
from .buffers import Buffer
from .convert import diagnostic, finding_place, text_edits
from .session import Analysis

FIX_ALL = "source.fixAll.bf16lint"
NOTEBOOK_FIX_ALL = "notebook.source.fixAll.bf16lint"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL, NOTEBOOK_FIX_ALL]
FIX_ALL_TITLE = "bf16lint: apply every safe fix"


def code_actions(buffer: Buffer, analysis: Analysis, uri: str, where: types.Range,
                 only: Optional[List[str]], encoding: str, lazy: bool = False) -> List[types.CodeAction]:
    """The actions for a range. `lazy`: the client resolves actions (codeAction/resolve),
    so a fix-all offered beside a quick fix carries no edit until it is chosen."""
    actions: List[types.CodeAction] = []
    if analysis.document is None or analysis.options is None:
        return actions
    if _wanted(types.CodeActionKind.QuickFix, only):
        for finding in analysis.findings:
            place = finding_place(buffer, finding, encoding)
            if place is None or place[0] != uri or not _overlaps(place[1], where):
                continue
            shown = diagnostic(finding, place[1])
            for plan, preferred in ((finding.fix, True), (finding.unsafe_fix, False)):
                action = _fix_action(buffer, analysis, finding, plan, preferred, shown, encoding)
                if action is not None:
                    actions.append(action)
    for kind in (FIX_ALL, NOTEBOOK_FIX_ALL):
        if kind == NOTEBOOK_FIX_ALL and not buffer.notebook:
            continue
        if only is not None and _wanted(kind, only):
            action = fix_all_action(buffer, analysis, kind, encoding)
            if action is not None:
                actions.append(action)
    # A plain request (the light bulb, asked at every cursor move) offers fix-all beside a
    # quick fix only: computing it re-lints the document until no fix applies.
    if only is None and actions and sum(_safe(f) for f in analysis.findings) > 1:
        if lazy:
            actions.append(types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL, data={"uri": buffer.uri}))
        else:
            action = fix_all_action(buffer, analysis, FIX_ALL, encoding)
            if action is not None:
                actions.append(action)
    return actions


def _safe(finding: Finding) -> bool:
    return finding.fix is not None and finding.fix.applicability == SAFE


def _wanted(kind: str, only: Optional[List[str]]) -> bool:
    """A kind is wanted when `only` is absent or names it or a parent (`source`)."""
    return only is None or any(kind == o or kind.startswith(o + ".") for o in only)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p):
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _fix_action(buffer, analysis, finding: Finding, plan, preferred: bool, shown,
                encoding) -> Optional[types.CodeAction]:
    if plan is None:
        return None
    edits = _plan_edits(buffer, analysis, plan, encoding)
    if not edits:
        return None
    safe = plan.applicability == SAFE
    title = plan.title if safe else f"{plan.title} (unsafe fix: may change what the code computes)"
    return types.CodeAction(
        title=f"{title} ({finding.code})",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[shown],
        is_preferred=preferred and safe,
        edit=types.WorkspaceEdit(changes=edits),
    )


def _plan_edits(buffer: Buffer, analysis: Analysis, plan, encoding: str) -> Dict[str, List[types.TextEdit]]:
    from ..documents import DocumentError
    from ..fixes import FixError, apply_plans

    document = analysis.document
    unit = document.unit_at(_plan_line(plan))
    if unit is None:
        return {}
    try:
        new_text = apply_plans(unit.text, [(plan, unit.start_line - 1)])
        new_bytes = document.render({unit.index: new_text})
    except (FixError, DocumentError):
        return {}
    return _edits_between(buffer, new_bytes, encoding)


def fix_all_action(buffer: Buffer, analysis: Analysis, kind: str, encoding: str) -> Optional[types.CodeAction]:
    """Every safe fix in the document (iterated as --fix does), as one workspace edit."""
    from ..documents import DocumentError

    if analysis.document is None or analysis.options is None:
        return None
    if not any(_safe(f) for f in analysis.findings):
        return None
    options = replace(analysis.options, unsafe_fixes=False)
    try:
        _, new_bytes, _ = fix_document(analysis.document, options)
    except DocumentError:
        return None
    if new_bytes is None:
        return None
    edits = _edits_between(buffer, new_bytes, encoding)
    if not edits:
        return None
    return types.CodeAction(title=FIX_ALL_TITLE, kind=kind, edit=types.WorkspaceEdit(changes=edits))


def _edits_between(buffer: Buffer, new_bytes: bytes, encoding: str) -> Dict[str, List[types.TextEdit]]:
    """Edits, per text document, from the editor's text to the rendered new bytes."""
    if not buffer.notebook:
        new = new_bytes.decode("utf-8-sig")
        edits = text_edits(buffer.text, new, encoding)
        return {buffer.uri: edits} if edits else {}
    import json

    cells = json.loads(new_bytes.decode("utf-8-sig"))["cells"]
    out: Dict[str, List[types.TextEdit]] = {}
    for cell, stored in zip(buffer.cells, cells):
        source = stored.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if source != cell.text:
            out[cell.uri] = text_edits(cell.text, source, encoding)
    return out
