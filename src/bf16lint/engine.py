"""One engine for every front end: a document in, located findings (and fixes) out.

The CLI, the flake8 plugin and the public API all come through here, so they agree on
every finding and position.
"""
from __future__ import annotations

import ast
import functools
import gc
import re
import sys
import threading
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple, Union

from .analysis.knowledge import DEFAULT_KNOWLEDGE, Knowledge
from .documents import Document, DocumentError
from .findings import SAFE, Edit, Finding, FileResult

MAX_FIX_PASSES = 4
_LINE_BREAK = __import__("re").compile(r"\r\n|\r|\n")  # what Python counts as a line break

# Code that Python compiles can still be nested deeper than the default recursion limit
# lets ast and the analysis follow (a 200-branch elif chain, a 500-term sum). Such a call
# is retried once on a thread with a large stack and a higher limit.
DEEP_RECURSION_LIMIT = 20000
DEEP_STACK_BYTES = 512 * 1024 * 1024
# Before 3.11, ast.parse builds its Python objects with unchecked C recursion: a sum of
# some 100,000 terms overflows the main thread's stack and kills the interpreter (a
# segfault, no exception to catch). There, larger inputs go to the deep stack at once,
# with a stack sized to the input (every level costs a few dozen bytes of C stack).
_UNCHECKED_AST_RECURSION = sys.version_info < (3, 11)
_MAIN_STACK_SAFE_CHARS = 100_000
_STACK_BYTES_PER_CHAR = 128
_deep = threading.local()


def _deep_active() -> bool:
    return getattr(_deep, "active", False)


def _retry_deep(function):
    """Run ``function``; on RecursionError run it again on a thread with a large stack and
    a raised recursion limit (the functions wrapped are pure, so a retry is safe). A
    RecursionError there too propagates: the caller reports the file as too deep."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if _deep_active():
            return function(*args, **kwargs)
        size = _input_size(args)
        if not (_UNCHECKED_AST_RECURSION and size > _MAIN_STACK_SAFE_CHARS):
            try:
                return function(*args, **kwargs)
            except RecursionError:
                pass
        stack = max(DEEP_STACK_BYTES, _STACK_BYTES_PER_CHAR * size if _UNCHECKED_AST_RECURSION else 0)
        return _on_deep_stack(function, args, kwargs, stack)

    return run


def _input_size(args) -> int:
    first = args[0] if args else None
    if isinstance(first, str):
        return len(first)
    return len(getattr(first, "raw", b"") or b"")


def _on_deep_stack(function, args, kwargs, stack_bytes: int = DEEP_STACK_BYTES):
    outcome: Dict[str, object] = {}

    def target():
        _deep.active = True
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as error:  # handed to the calling thread
            outcome["error"] = error

    mebibyte = 1024 * 1024
    old_limit = sys.getrecursionlimit()
    try:
        old_size = threading.stack_size(-(-stack_bytes // mebibyte) * mebibyte)
    except (ValueError, RuntimeError):  # the platform cannot: report the file as too deep
        raise RecursionError("maximum recursion depth exceeded (no deeper stack available)") from None
    try:
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
        thread = threading.Thread(target=target, name="bf16lint-deep")
        try:
            thread.start()
        except RuntimeError:  # no memory for such a stack
            raise RecursionError("maximum recursion depth exceeded (no deeper stack available)") from None
        thread.join()
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


@dataclass
class LintOptions:
    select: Tuple[str, ...] = ("BFD",)
    ignore: Tuple[str, ...] = ()
    knowledge: Knowledge = DEFAULT_KNOWLEDGE
    unsafe_fixes: bool = False
    fix_style: str = "insert"  # "insert" casts in the loop; "wrap" wraps the model where built
    # per-file-ignores matching this file: they win over any selection.
    file_ignore: Tuple[str, ...] = ()
    # Project mode (bf16lint.project): imports of the user's own modules are followed;
    # project_root is where the root search ends when no pyproject.toml/setup.cfg/.git is found.
    project: bool = True
    project_root: Optional[str] = None

    def enabled(self, code: str) -> bool:
        """The most specific prefix decides between select and ignore (ignore wins a tie,
        as in ruff); a per-file ignore always wins."""
        if any(code.startswith(p) for p in self.file_ignore):
            return False
        selected = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return selected >= 0 and selected > ignored


# The note a notebook cell that does not parse leaves (the cell is skipped, the rest is
# analysed); the CLI turns such notes into errors, as it reports a .py syntax error.
CELL_SKIPPED = "; cell skipped"


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
            tree = _parse(unit.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            if isinstance(error, RecursionError) and not _deep_active():
                raise  # lint_document retries on a deeper stack
            reason = _syntax_reason(error)
            if unit.cell is None:
                raise DocumentError(doc.path, reason) from None
            skipped.append(f"cell {unit.cell}: {reason}{CELL_SKIPPED}")
            continue
        if unit.start_line > 1:
            ast.increment_lineno(tree, unit.start_line - 1)
        body.extend(tree.body)
    lines = _LINE_BREAK.split(doc.virtual_source())
    return Analysis(ast.Module(body=body, type_ignores=[]), lines, skipped)


def _gc_paused(function):
    """Run ``function`` with the cyclic garbage collector paused. Parsing and analysing a
    large file allocates millions of objects that live until it is done, and collections
    over that growing heap would otherwise take half the time (a 20 MB file: 25 s instead
    of 60). Whatever cycles it leaves are collected once the collector runs again."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return run


@_gc_paused
def _parse(text: str) -> ast.Module:
    return ast.parse(text)


def _syntax_reason(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        where = f" at line {error.lineno}" if error.lineno else ""
        return f"syntax error{where}: {error.msg}"
    if isinstance(error, RecursionError):
        return "code nested too deeply to analyse (RecursionError)"
    if isinstance(error, MemoryError):  # the parser's own stack limit, e.g. `- - - ... 1`
        return "code nested too deeply to parse (MemoryError in the parser)"
    return f"cannot parse: {error}"


def analyse(tree: ast.Module, lines: List[str], options: LintOptions, where=None, resolver=None) -> List[Finding]:
    from .rules import check_tree

    exempt = file_exemption(lines)
    if exempt is True:
        return []
    if resolver is not None:
        from .project import line_namer
        from .rules._messages import script_lines

        where = line_namer(resolver, where or script_lines)
    enabled = [f for f in check_tree(tree, lines, options.knowledge, where, resolver) if options.enabled(f.code)]
    if resolver is not None:  # fixes edit only the file being linted, never a module it imports
        enabled = [_own_fixes(f) for f in enabled if _own_line(f)]
    findings = [f for f in enabled if not _noqa(lines, f) and not _exempt_code(f.code, exempt)]
    if options.fix_style == "wrap":
        findings = [replace(f, fix=_wrap_plan(f.wrap_fix, options) or f.fix) for f in findings]
    elif options.unsafe_fixes:  # the unsafe alternative (rewrite the bf16 cast) wins when allowed
        findings = [replace(f, fix=f.unsafe_fix) if f.unsafe_fix is not None else f for f in findings]
    if _unused_noqa_selected(options):
        from .noqa import unused_noqa

        findings = sorted(findings + unused_noqa(lines, enabled, exempt, options.enabled), key=lambda f: f.sort_key)
    return findings


def _own_line(finding: Finding) -> bool:
    """False for a finding placed in another module (BFD003 at an autocast inside an
    imported helper): the linted file's call carries the crash, that module its own report."""
    from .project import LINE_SPAN

    return finding.line < LINE_SPAN


def _own_fixes(finding: Finding) -> Finding:
    from .project import LINE_SPAN

    def own(plan):
        if plan is None:
            return None
        lines = [_plan_line(plan)] + ([plan.span[0], plan.span[2]] if plan.span else [])
        return plan if max(lines) < LINE_SPAN else None

    return replace(finding, fix=own(finding.fix), wrap_fix=own(finding.wrap_fix), unsafe_fix=own(finding.unsafe_fix))


def project_resolver(path: Optional[str], tree: ast.Module, options: LintOptions):
    """What follows the imports of the project's own modules, or None (project mode off,
    or code with no file: stdin, a string)."""
    if not options.project or not path:
        return None
    from .project import resolver_for

    return resolver_for(path, tree, options.knowledge, options.project_root)


def may_contain_bug(path: Optional[str], code: Union[str, bytes], options: LintOptions) -> bool:
    """The prefilter, the one the CLI, flake8 and the engine share: the file's own code (a
    script's undecoded bytes, or text) or, in project mode, its import closure holds both
    bf16 evidence and a backbone builder."""
    knowledge = options.knowledge
    if knowledge.may_contain_bug_bytes(code) if isinstance(code, bytes) else knowledge.may_contain_bug(code):
        return True
    if not options.project or not path:
        return False
    from .project import closure_has_evidence

    return closure_has_evidence(path, code, knowledge, options.project_root)


def _wrap_plan(plan, options: LintOptions):
    """The wrap fix, told the configured image keys (the runtime hook must cast the same
    dict entries the analysis treats as images)."""
    keys = tuple(options.knowledge.image_keys)
    if plan is None or keys == tuple(DEFAULT_KNOWLEDGE.image_keys):
        return plan
    return replace(plan, image_keys=keys)


def _unused_noqa_selected(options: LintOptions) -> bool:
    """BFD800 is opt-in: a selection must name it (BFD8, BFD80, BFD800), not just `BFD`."""
    from .config import UNUSED_NOQA

    named = any(UNUSED_NOQA.startswith(p) and len(p) > 3 for p in options.select)
    return named and options.enabled(UNUSED_NOQA)


# A file-level exemption: a comment on its own line, as ruff's `# ruff: noqa`; the
# flake8 and ruff spellings are honoured too (flake8 itself skips such a file).
_FILE_NOQA = re.compile(
    r"^[ \t]*#[ \t]*(?:bf16lint|flake8|ruff)[ \t]*:[ \t]*noqa(?:[ \t]*:[ \t]*(?P<codes>[A-Za-z]+[0-9]*(?:[ \t]*,?[ \t]*[A-Za-z]+[0-9]*)*))?[ \t]*(?:#.*)?$",
    re.I,
)


def file_exemption(lines: Sequence[str]):
    """``# bf16lint: noqa`` (or ``# flake8: noqa``, ``# ruff: noqa``) on a line of its own anywhere in the file (any cell of a
    notebook) skips the whole file: returns True. ``# bf16lint: noqa: BFD002`` turns the
    listed codes off for the whole file: returns them as a tuple. Otherwise ()."""
    codes: List[str] = []
    for line in lines:
        if "noqa" not in line.lower():
            continue
        match = _FILE_NOQA.match(line)
        if match is None:
            continue
        if not match.group("codes"):
            return True
        codes.extend(c.upper() for c in re.split(r"[\s,]+", match.group("codes")) if c)
    return tuple(codes)


def _exempt_code(code: str, exempt) -> bool:
    return bool(exempt) and any(code.startswith(c) for c in exempt)


def _noqa(lines: List[str], finding: Finding) -> bool:
    """`# noqa` or `# noqa: BFD001` on the reported line, as flake8 reads it."""
    if not 0 < finding.line <= len(lines):
        return False
    match = re.search(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", lines[finding.line - 1], re.I)
    if match is None:
        return False
    codes = match.group("codes")
    if not codes:
        return True
    return any(finding.code.startswith(c.upper()) for c in re.split(r"[,\s]+", codes) if c)


def _line_namer(doc: Document):
    """How messages name a virtual line: `line 12`, or `cell 4, line 3` in a notebook."""

    def where(line: int) -> str:
        location = doc.location(line, 0)
        if location.cell is not None:
            return f"cell {location.cell}, line {location.row}"
        return f"line {location.row}"

    return where


def locate(doc: Document, findings: Sequence[Finding]) -> None:
    for finding in findings:
        finding.location = doc.location(finding.line, finding.col)
        finding.end_location = doc.location(finding.end_line, finding.end_col)


@_retry_deep
@_gc_paused
def lint_document(doc: Document, options: LintOptions) -> FileResult:
    """Findings for one document, located; file problems become FileResult.error."""
    result = FileResult(doc.path, document=doc, notes=list(getattr(doc, "notes", [])))
    if not may_contain_bug(doc.path, doc.virtual_source(), options):
        return result
    parsed = parse_document(doc)
    result.notes.extend(parsed.skipped)
    resolver = project_resolver(doc.path, parsed.tree, options)
    result.findings = analyse(parsed.tree, parsed.lines, options, _line_namer(doc), resolver)
    skipped_cells = cells_to_skip(doc)
    if skipped_cells:
        result.findings = _outside_cells(doc, result.findings, skipped_cells)
    locate(doc, result.findings)
    return result


# ---------------------------------------------------------------- cell tag suppression
SKIP_TAG = "bf16lint-skip"


def cells_to_skip(doc: Document) -> frozenset:
    """1-based numbers of the notebook cells tagged ``bf16lint-skip`` (cell metadata
    ``"tags": ["bf16lint-skip"]``, as JupyterLab's property inspector writes them).

    Their code still runs through the analysis (a skipped cell that builds the model or
    casts it keeps the later cells right); only findings reported in them are dropped,
    and no fix edits them. A document may answer itself (``skipped_cells()``); otherwise
    the notebook JSON is read, only when the tag occurs in its bytes at all."""
    own = getattr(doc, "skipped_cells", None)
    if callable(own):
        return frozenset(own())
    raw = getattr(doc, "raw", b"") or b""
    if getattr(doc, "kind", None) != "notebook" or SKIP_TAG.encode() not in raw:
        return frozenset()
    import json

    try:
        text = raw.decode("utf-8-sig")
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError, RecursionError):
        return frozenset()
    skipped = set()
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        metadata = cell.get("metadata") if isinstance(cell, dict) else None
        tags = metadata.get("tags") if isinstance(metadata, dict) else None
        if isinstance(tags, list) and SKIP_TAG in tags:
            skipped.add(number)
    return frozenset(skipped)


def _outside_cells(doc: Document, findings: List[Finding], skipped: frozenset) -> List[Finding]:
    def cell_of(line: int) -> Optional[int]:
        unit = doc.unit_at(line)
        return unit.cell if unit is not None else None

    kept = []
    for finding in findings:
        if cell_of(finding.line) in skipped:
            continue
        if finding.fix is not None and cell_of(_plan_line(finding.fix)) in skipped:
            finding = replace(finding, fix=None)  # reported, but the tagged cell is not edited
        kept.append(finding)
    return kept


def applicable(finding: Finding, options: LintOptions) -> bool:
    return finding.fix is not None and (finding.fix.applicability == SAFE or options.unsafe_fixes)


@_retry_deep
def fix_document(doc: Document, options: LintOptions) -> Tuple[FileResult, Optional[bytes], Dict[int, str]]:
    """Lint, apply every applicable fix, re-lint the result; repeat while progress is made.

    Returns the final result (remaining findings, located in the *new* text), the new
    bytes (None when nothing changed) and the new unit texts (for --diff)."""
    from .fixes import FixError, FixUnavailable, apply_plans

    first = lint_document(doc, options)
    if not any(applicable(f, options) for f in first.findings):
        return first, None, {}
    texts = {unit.index: unit.text for unit in doc.units}
    current = doc
    fixed: List[Finding] = []
    result = first
    rendered_from: Dict[int, str] = {}
    unfixable: Dict[int, str] = {}  # unit index -> why its fixes could not be applied
    new_bytes = None
    for _ in range(MAX_FIX_PASSES):
        todo = [f for f in result.findings if applicable(f, options)]
        if not todo:
            break
        per_unit: Dict[int, list] = {}
        for finding in todo:
            unit = current.unit_at(_plan_line(finding.fix))
            if unit is None:
                continue
            per_unit.setdefault(unit.index, []).append((finding.fix, unit.start_line - 1))
        new_texts = dict(texts)
        for index, plans in per_unit.items():
            try:
                new_texts[index] = apply_plans(texts[index], plans)
            except FixUnavailable as error:
                unfixable.setdefault(index, f"{_unit_where(current, index)}fix not applied: {error}")
                continue
            except FixError as error:
                raise DocumentError(doc.path, f"internal error while fixing: {error}") from None
            if current.units[index].cell is not None or not options.knowledge.may_contain_bug(new_texts[index]):
                # A script with evidence is parsed by the re-lint below, which reports a
                # failure as an internal error; a cell that fails there is only skipped.
                _check_fixed_text(doc, current, index, new_texts[index])
        if new_texts == texts:
            break
        rendered_from = {i: t for i, t in new_texts.items() if t != _unit_text(doc, i)}
        new_bytes = doc.render(rendered_from)
        try:
            current = _reload(doc, new_bytes)
            texts = {unit.index: unit.text for unit in current.units}
            count_before = len(result.findings)
            result = lint_document(current, options)
        except DocumentError as error:  # our own output does not load: never write it
            raise DocumentError(
                doc.path, f"internal error: the fixed code does not load again ({error.reason}); not written"
            ) from None
        # Messages mention line numbers that move when lines are inserted: count instead.
        fixed.extend(todo[: max(0, count_before - len(result.findings))])
    changed = {i: t for i, t in texts.items() if t != _unit_text(doc, i)}
    if not changed:
        first.notes.extend(unfixable.values())
        return first, None, {}
    if changed != rendered_from:  # the last pass's render is normally the answer already
        new_bytes = doc.render(changed)
    result.path = doc.path
    result.fixed = fixed
    result.notes.extend(unfixable.values())
    return result, new_bytes, changed


def _check_fixed_text(doc: Document, current: Document, index: int, text: str) -> None:
    """Re-parse a unit's fixed text before anything is rendered or written: a fix that
    broke the code is an internal error, reported with the file named."""
    try:
        _parse(text)
    except (SyntaxError, ValueError, MemoryError) as error:
        raise DocumentError(
            doc.path,
            f"internal error: the fix produced code that does not parse "
            f"({_unit_where(current, index)}{_syntax_reason(error)}); not written",
        ) from None


def _unit_where(doc: Document, index: int) -> str:
    unit = doc.units[index] if 0 <= index < len(doc.units) else None
    return f"cell {unit.cell}: " if unit is not None and unit.cell is not None else ""


def _plan_line(plan) -> int:
    return plan.anchor[0] if plan.anchor else plan.span[0]


def _unit_text(doc: Document, index: int) -> str:
    for unit in doc.units:
        if unit.index == index:
            return unit.text
    return ""


def _reload(doc: Document, data: bytes) -> Document:
    from .documents import load_document

    return load_document(doc.path, data)


# ---------------------------------------------------------------- public helpers
@_retry_deep
def lint_source(source: str, filename: str = "<string>", options: Optional[LintOptions] = None) -> List[Finding]:
    """Findings for a Python source string (positions: 1-based lines, 0-based columns)."""
    options = options or LintOptions()
    tree = ast.parse(source, filename)
    return analyse(tree, source.splitlines(), options)


@_retry_deep
def fix_source(source: str, options: Optional[LintOptions] = None) -> str:
    """The source with every applicable fix applied (iterated until stable)."""
    from .fixes import FixUnavailable, apply_plans

    options = options or LintOptions()
    for _ in range(MAX_FIX_PASSES):
        plans = [(f.fix, 0) for f in lint_source(source, options=options) if applicable(f, options)]
        if not plans:
            break
        try:
            new = apply_plans(source, plans)
        except FixUnavailable:  # the findings stand, unfixed
            break
        if new == source:
            break
        source = new
    return source


def edits_for(doc: Document, finding: Finding) -> Tuple[Edit, ...]:
    """The text edits one finding's fix makes, in display coordinates (for json/sarif)."""
    from .fixes import FixError, apply_plans

    if finding.fix is None:
        return ()
    unit = doc.unit_at(_plan_line(finding.fix))
    if unit is None:
        return ()
    try:
        new_text = apply_plans(unit.text, [(finding.fix, unit.start_line - 1)])
    except FixError:
        return ()
    return tuple(
        Edit(text, doc.location(unit.start_line + first, 0), doc.location(unit.start_line + last, 0))
        for first, last, text in line_hunks(unit.text, new_text)
    )


def line_hunks(old: str, new: str) -> List[Tuple[int, int, str]]:
    """The line-level replacements turning `old` into `new`: (first, last, text) replaces
    old lines [first, last) (0-based) with text. Reports and the editor share them."""
    import difflib

    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    return [(i1, i2, "".join(new_lines[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
