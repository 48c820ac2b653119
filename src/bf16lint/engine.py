"""One engine for every front end: a document in, located findings (and fixes) out.

The CLI, the flake8 plugin and the public API all come through here, so they agree on
every finding and position.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

from .analysis.knowledge import DEFAULT_KNOWLEDGE, Knowledge
from .documents import Document, DocumentError
from .findings import SAFE, Edit, Finding, FileResult, Location

MAX_FIX_PASSES = 4


@dataclass
class LintOptions:
    select: Tuple[str, ...] = ("BFD",)
    ignore: Tuple[str, ...] = ()
    knowledge: Knowledge = DEFAULT_KNOWLEDGE
    unsafe_fixes: bool = False
    fix_style: str = "insert"  # "insert" casts in the loop; "wrap" wraps the model where built

    def enabled(self, code: str) -> bool:
        selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected >= 0 and selected >= ignored


@dataclass
class Analysis:
    """A document's units parsed and laid end to end."""

    tree: ast.Module
    lines: List[str]
    skipped: List[str] = field(default_factory=list)


def parse_document(doc: Document) -> Analysis:
    """Parse every unit with stdlib ast; a notebook cell that does not parse is skipped
    with a note, a script that does not parse is an error."""
    body: List[ast.stmt] = []
    lines: List[str] = []
    skipped: List[str] = []
    for unit in doc.units:
        try:
            tree = ast.parse(unit.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            reason = _syntax_reason(error)
            if unit.cell is None:
                raise DocumentError(doc.path, reason) from None
            skipped.append(f"cell {unit.cell}: {reason}; cell skipped")
            continue
        if unit.start_line > 1:
            ast.increment_lineno(tree, unit.start_line - 1)
        body.extend(tree.body)
        unit_lines = unit.text.splitlines()
        missing = unit.start_line - 1 - len(lines)
        if missing > 0:
            lines.extend([""] * missing)
        del lines[unit.start_line - 1 :]
        lines.extend(unit_lines)
    return Analysis(ast.Module(body=body, type_ignores=[]), lines, skipped)


def _syntax_reason(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        where = f" at line {error.lineno}" if error.lineno else ""
        return f"syntax error{where}: {error.msg}"
    if isinstance(error, RecursionError):
        return "code nested too deeply to analyse (RecursionError)"
    return f"cannot parse: {error}"


def analyse(tree: ast.Module, lines: List[str], options: LintOptions) -> List[Finding]:
    from .rules import check_tree

    findings = check_tree(tree, lines, options.knowledge)
    findings = [f for f in findings if options.enabled(f.code) and not _noqa(lines, f)]
    if options.fix_style == "wrap":
        from .fixes.wrap import plan_wrap

        findings = [replace(f, fix=plan_wrap(tree, lines, f) or f.fix) for f in findings]
    return findings


def _noqa(lines: List[str], finding: Finding) -> bool:
    """`# noqa` or `# noqa: BFD001` on the reported line, as flake8 reads it."""
    import re

    if not 0 < finding.line <= len(lines):
        return False
    match = re.search(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", lines[finding.line - 1], re.I)
    if match is None:
        return False
    codes = match.group("codes")
    if not codes:
        return True
    return any(finding.code.startswith(c.upper()) for c in re.split(r"[,\s]+", codes) if c)


def locate(doc: Document, findings: Sequence[Finding]) -> None:
    for finding in findings:
        finding.location = doc.location(finding.line, finding.col)
        finding.end_location = doc.location(finding.end_line, finding.end_col)


def lint_document(doc: Document, options: LintOptions) -> FileResult:
    """Findings for one document, located; file problems become FileResult.error."""
    result = FileResult(doc.path, document=doc, notes=list(getattr(doc, "notes", [])))
    if not options.knowledge.may_contain_bug(doc_text(doc)):
        return result
    parsed = parse_document(doc)
    result.notes.extend(parsed.skipped)
    result.findings = analyse(parsed.tree, parsed.lines, options)
    locate(doc, result.findings)
    return result


def doc_text(doc: Document) -> str:
    return "\n".join(unit.text for unit in doc.units)


def applicable(finding: Finding, options: LintOptions) -> bool:
    return finding.fix is not None and (finding.fix.applicability == SAFE or options.unsafe_fixes)


def fix_document(doc: Document, options: LintOptions) -> Tuple[FileResult, Optional[bytes], Dict[int, str]]:
    """Lint, apply every applicable fix, re-lint the result; repeat while progress is made.

    Returns the final result (remaining findings, located in the *new* text), the new
    bytes (None when nothing changed) and the new unit texts (for --diff)."""
    from .fixes import FixError, apply_plans

    first = lint_document(doc, options)
    if not any(applicable(f, options) for f in first.findings):
        return first, None, {}
    texts = {unit.index: unit.text for unit in doc.units}
    current = doc
    fixed: List[Finding] = []
    result = first
    for _ in range(MAX_FIX_PASSES):
        todo = [f for f in result.findings if applicable(f, options)]
        if not todo:
            break
        per_unit: Dict[int, list] = {}
        for finding in todo:
            unit = _unit_for(current, _plan_line(finding.fix))
            if unit is None:
                continue
            per_unit.setdefault(unit.index, []).append((finding.fix, unit.start_line - 1))
        new_texts = dict(texts)
        for index, plans in per_unit.items():
            try:
                new_texts[index] = apply_plans(texts[index], plans)
            except FixError as error:
                raise DocumentError(doc.path, f"internal error while fixing: {error}") from None
        if new_texts == texts:
            break
        new_bytes = doc.render({i: t for i, t in new_texts.items() if t != _unit_text(doc, i)})
        current = _reload(doc, new_bytes)
        texts = {unit.index: unit.text for unit in current.units}
        count_before = len(result.findings)
        result = lint_document(current, options)
        # Messages mention line numbers that move when lines are inserted: count instead.
        fixed.extend(todo[: max(0, count_before - len(result.findings))])
    changed = {i: t for i, t in texts.items() if t != _unit_text(doc, i)}
    if not changed:
        return first, None, {}
    new_bytes = doc.render(changed)
    result.path = doc.path
    result.fixed = fixed
    return result, new_bytes, changed


def _plan_line(plan) -> int:
    return plan.anchor[0] if plan.anchor else plan.span[0]


def _unit_for(doc: Document, line: int):
    for unit in doc.units:
        if unit.start_line <= line < unit.start_line + max(unit.line_count, 1):
            return unit
    return None


def _unit_text(doc: Document, index: int) -> str:
    for unit in doc.units:
        if unit.index == index:
            return unit.text
    return ""


def _reload(doc: Document, data: bytes) -> Document:
    from .documents import load_document

    return load_document(doc.path, data)


# ---------------------------------------------------------------- public helpers
def lint_source(source: str, filename: str = "<string>", options: Optional[LintOptions] = None) -> List[Finding]:
    """Findings for a Python source string (positions: 1-based lines, 0-based columns)."""
    options = options or LintOptions()
    tree = ast.parse(source, filename)
    return analyse(tree, source.splitlines(), options)


def fix_source(source: str, options: Optional[LintOptions] = None) -> str:
    """The source with every applicable fix applied (iterated until stable)."""
    from .fixes import apply_plans

    options = options or LintOptions()
    for _ in range(MAX_FIX_PASSES):
        plans = [(f.fix, 0) for f in lint_source(source, options=options) if applicable(f, options)]
        if not plans:
            break
        new = apply_plans(source, plans)
        if new == source:
            break
        source = new
    return source


def edits_for(doc: Document, finding: Finding) -> Tuple[Edit, ...]:
    """The text edits one finding's fix makes, in display coordinates (for json/sarif)."""
    import difflib

    from .fixes import FixError, apply_plans

    if finding.fix is None:
        return ()
    unit = _unit_for(doc, _plan_line(finding.fix))
    if unit is None:
        return ()
    try:
        new_text = apply_plans(unit.text, [(finding.fix, unit.start_line - 1)])
    except FixError:
        return ()
    old_lines = unit.text.splitlines(keepends=True)
    new_lines = new_text.splitlines(keepends=True)
    edits = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = doc.location(unit.start_line + i1, 0)
        end = doc.location(unit.start_line + i2, 0)
        edits.append(Edit("".join(new_lines[j1:j2]), start, end))
    return tuple(edits)
