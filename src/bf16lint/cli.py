"""The command line: arguments, file discovery, exit codes. Everything else is the engine.

Exit codes: 0 nothing left to report; 1 findings remain (or, with --diff, something would
change; with --exit-non-zero-on-fix, something was fixed); 2 usage or configuration
error, a file that could not be read, parsed or written, or an internal error.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator, List, Optional, Sequence, Tuple

from . import __version__

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")
# A process pool pays for itself only when there is enough analysis to share out.
PARALLEL_MIN_BYTES = 1_500_000
EDIT_FORMATS = ("json", "json-lines", "sarif")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bf16lint",
        description="Find bfloat16 tensors fed to float32 vision backbones in .py and .ipynb files, and fix them.",
        epilog="bf16lint rule BFD001 | bf16lint rule --all prints the rule docs. "
               "`bf16lint check ...` is accepted as in ruff.",
    )
    parser.add_argument("paths", nargs="*", default=None,
                        help="files or directories (default: .); `-` reads the code from stdin")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes in place (stdin: print the fixed code)")
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a diff; write nothing")
    parser.add_argument("--fix-style", choices=("insert", "wrap"), help="insert casts in loops (default) or wrap the model where it is built")
    # Repeated flags accumulate: `--select BFD001 --select BFD002` selects both.
    parser.add_argument("--select", action="append", help="comma-separated codes or prefixes to enable (default: BFD)")
    parser.add_argument("--extend-select", action="append", help="codes to enable on top of the selection")
    parser.add_argument("--ignore", action="append", help="comma-separated codes or prefixes to disable")
    parser.add_argument(
        "--output-format",
        choices=("text", "concise", "json", "json-lines", "github", "sarif"),
        default=None,
        help="how findings are printed (default: text)",
    )
    parser.add_argument("--output-file", help="write the report to this file instead of stdout")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text output (auto: on a terminal, unless NO_COLOR; FORCE_COLOR forces it)")
    parser.add_argument("--statistics", action="store_true", help="print counts per rule instead of findings")
    parser.add_argument("--show-fixes", action="store_true", help="list the fixes that were applied")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    parser.add_argument("--exit-non-zero-on-fix", action="store_true", help="exit 1 when any file was fixed")
    parser.add_argument("--fail-on", choices=("warning", "error"), default="warning",
                        help="lowest severity that makes the run fail (exit 1): warning (default) or error "
                             "(BFD002/BFD003 warnings are then reported but do not fail)")
    parser.add_argument("--add-noqa", action="store_true",
                        help="add `# noqa: CODE` to every line with a finding, instead of reporting it")
    parser.add_argument("--force-exclude", action="store_true", help="apply exclusions to paths given explicitly too")
    parser.add_argument("--respect-gitignore", dest="respect_gitignore", action="store_true", default=True,
                        help="skip files matched by .gitignore and .ignore when walking directories (default)")
    parser.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false",
                        help="walk files matched by .gitignore and .ignore too")
    parser.add_argument("--stdin-filename", help="the name of the code read from stdin (`-`): picks .py or .ipynb, "
                                                 "the configuration and per-file ignores")
    parser.add_argument("--config", help="use this pyproject.toml instead of the nearest one")
    parser.add_argument("--show-settings", action="store_true", help="print the resolved settings for PATH and exit")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: automatic)")
    parser.add_argument("--version", action="version", version=f"bf16lint {__version__}")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # `bf16lint rule --all | head`: the reader went away; no traceback, nothing more.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1


def _error(message: str) -> int:
    print(f"bf16lint: error: {message}", file=sys.stderr)
    return 2


def _main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "server":  # the language server; `bf16lint check server` lints a folder so named
        from .server import main as server_main

        return server_main(argv[1:])
    if argv and argv[0] == "check":  # ruff's spelling: `bf16lint check .`
        argv = argv[1:]
    if argv and argv[0] == "rule":
        return rule_command(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    from .config import ConfigError, SettingsResolver

    # --stdin-filename without paths reads stdin, as in ruff.
    paths = [_clean_path(p) for p in args.paths] if args.paths else ["-"] if args.stdin_filename else ["."]
    stdin = paths == ["-"]
    if "-" in paths and not stdin:
        return _error("`-` (stdin) cannot be combined with other paths")
    if args.add_noqa and (args.fix or args.diff or stdin):
        return _error("--add-noqa cannot be combined with --fix, --diff or stdin")
    try:
        resolver = SettingsResolver(_overrides(args), args.config)
        if args.show_settings:
            return show_settings(resolver, paths)
        if stdin:
            return run_stdin(args, resolver)
        files, missing = discover(paths, resolver, args.force_exclude, args.respect_gitignore)
    except ConfigError as error:
        return _error(str(error))
    mode = "diff" if args.diff else "fix" if args.fix else "noqa" if args.add_noqa else "check"
    from .findings import FileResult

    results: List[FileResult] = [FileResult(p, error="no such file or directory") for p in missing]
    # json and sarif carry each fix's edits; computing them costs a libcst pass per finding.
    with_edits = (args.output_format or "text") in EDIT_FORMATS
    try:
        results.extend(run_files(files, resolver, mode, args.unsafe_fixes, args.jobs, with_edits))
    except ConfigError as error:
        return _error(str(error))
    if mode == "noqa":
        return report_noqa(results)
    return report(results, args, mode)


def _clean_path(path: str) -> str:
    """Paths print as the user would type them: `src/x.py`, not `./src/x.py`."""
    while path.startswith("./") and len(path) > 2:
        path = path[2:]
    return path


def _overrides(args) -> dict:
    from .config import code_list

    overrides = {}
    # A bad code raises ConfigError naming the flag; main() turns it into exit 2.
    if args.select is not None:
        overrides["select"] = code_list(args.select, "--select")
    if args.extend_select is not None:
        overrides["extend_select"] = code_list(args.extend_select, "--extend-select")
    if args.ignore is not None:
        overrides["ignore"] = code_list(args.ignore, "--ignore")
    if args.fix_style:
        overrides["fix_style"] = args.fix_style
    if args.force_exclude:
        overrides["force_exclude"] = True
    return overrides


# ------------------------------------------------------------------ discovery
def discover(paths: Sequence[str], resolver, force_exclude: bool,
             respect_gitignore: bool = True) -> Tuple[List[str], List[str]]:
    """The files to lint: directories are walked (excludes and, by default, .gitignore
    and .ignore applied); files named explicitly are linted as given (excludes only with
    force-exclude), except that anything but .py, .pyi and .ipynb is skipped with a warning."""
    files: List[str] = []
    missing: List[str] = []
    seen = set()
    ignore = None
    for path in paths:
        if not os.path.lexists(path):
            missing.append(path)
            continue
        if os.path.isdir(path):
            if respect_gitignore and ignore is None:  # only a walk consults .gitignore
                from .gitignore import GitIgnore

                ignore = GitIgnore()
            settings = resolver.for_path(path)
            if (force_exclude or settings.force_exclude) and settings.is_excluded(path):
                continue
            for found in walk(path, resolver, ignore):
                if found not in seen:
                    seen.add(found)
                    files.append(found)
            continue
        settings = resolver.for_path(path)
        if (force_exclude or settings.force_exclude) and settings.is_excluded(path):
            continue
        if not path.endswith(SOURCE_SUFFIXES):
            print(f"bf16lint: warning: {path}: not a Python file or notebook (.py, .pyi, .ipynb); skipped",
                  file=sys.stderr)
            continue
        if path not in seen:
            seen.add(path)
            files.append(path)
    return files, missing


def walk(root: str, resolver, ignore=None) -> Iterator[str]:
    """Source files under root, sorted, excluded (and git-ignored) directories pruned.
    Directory symlinks are not followed, so a link loop cannot hang the walk."""
    for directory, subdirs, names in os.walk(root):
        settings = resolver.for_path(os.path.join(directory, "_"))
        subdirs[:] = sorted(
            d for d in subdirs
            if not settings.is_excluded(os.path.join(directory, d), ancestors=False)
            and not os.path.islink(os.path.join(directory, d))
            and not (ignore is not None and ignore.ignored(os.path.join(directory, d), True, root))
        )
        for name in sorted(names):
            if name.endswith(SOURCE_SUFFIXES):
                path = _clean_path(os.path.join(directory, name))
                if (
                    os.path.isfile(path)
                    and not settings.is_excluded(path, ancestors=False)
                    and not (ignore is not None and ignore.ignored(path, False, root))
                ):
                    yield path


# ------------------------------------------------------------------ running
def run_files(files: List[str], resolver, mode: str, unsafe: bool, jobs: int, with_edits: bool = False):
    from .project import common_root

    options_cache = {}
    candidates, results = [], {}
    candidate_bytes = 0
    project_root = common_root(files)  # the project's root when no pyproject.toml/setup.cfg/.git says
    for path in files:
        settings = resolver.for_path(path)
        if id(settings) not in options_cache:
            options_cache[id(settings)] = _options_for(settings, unsafe, project_root)
        size = _worth_analysing(path, options_cache[id(settings)])
        if size is None:
            results[path] = _Clean(path)
        else:
            candidates.append((path, options_cache[id(settings)], mode, with_edits))
            candidate_bytes += size
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    # Starting a pool costs more than analysing a handful of files: parallel only for
    # real work (or when -j asks for it).
    parallel = workers > 1 and len(candidates) > 1 and (jobs > 1 or candidate_bytes >= PARALLEL_MIN_BYTES)
    if parallel:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(workers, len(candidates))) as pool:
            for result in pool.map(process_file, candidates, chunksize=1):
                results[result.path] = result
    else:
        for task in candidates:
            result = process_file(task)
            results[result.path] = result
    return [results[path] for path in files]


class _Clean:
    """What the report reads of a file the prefilter ruled out: nothing to show. A slotted
    stand-in for FileResult (a tenth of its memory), one per file of the tree."""

    __slots__ = ("path",)
    findings = notes = fixed = ()
    error = document = diff = new_bytes = None
    unwritten = False

    def __init__(self, path: str):
        self.path = path


def _options_for(settings, unsafe, project_root=None):
    from .engine import LintOptions

    return LintOptions(
        select=settings.selected(),
        ignore=settings.ignore,
        knowledge=settings.knowledge,
        unsafe_fixes=unsafe,
        fix_style=settings.fix_style,
        project_root=project_root,
    ), settings


def _worth_analysing(path: str, options_and_settings) -> Optional[int]:
    """The prefilter: read the bytes and look for both kinds of evidence (bf16 and a
    backbone). Returns the size to analyse, or None when the file cannot hold the bug.
    A notebook without evidence still gets a cheap structural check, so a broken one is
    reported; anything that cannot be read is handed on so its reason is reported."""
    from .documents import DocumentError
    from .documents._files import read_file_bytes
    from .engine import may_contain_bug

    options, _ = options_and_settings
    try:
        data = read_file_bytes(path)  # never blocks on a FIFO nor reads a device
    except DocumentError:
        return 0
    if b"\x00" in data:
        return len(data)  # reported as binary
    if path.endswith(".ipynb"):
        code = _notebook_code(data)
        if code is None:
            return len(data)  # the full reader reports exactly what is wrong
        # Only code cells count: base64 images in outputs spell "BF16" by chance.
        return len(data) if may_contain_bug(path, code, options) else None
    return len(data) if may_contain_bug(path, data, options) else None


def _notebook_code(data: bytes) -> Optional[str]:
    """The code cells' text, or None when the notebook would not load (not JSON, not
    nbformat 4, cells or sources of the wrong type)."""
    import json

    try:
        nb = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        return None
    code = []
    for cell in nb["cells"]:
        if not isinstance(cell, dict):
            return None
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            return None
        if cell.get("cell_type") == "code":
            code.append(source)
    return "\n".join(code)


def process_file(task):
    result = _process(task)
    if not result.findings and not result.fixed:
        # Nothing to show from this file: do not keep (or ship back from a worker) its
        # text and parsed notebook; memory then stays flat however many files are linted.
        result.document = None
    return result


def _process(task):
    path, (options, settings), mode = task[:3]
    with_edits = len(task) > 3 and task[3]
    data = task[4] if len(task) > 4 else None  # stdin: the bytes, never written back
    from dataclasses import replace

    from .documents import DocumentError, load_document, write_document
    from .engine import fix_document, lint_document
    from .findings import FileResult

    options = replace(options, file_ignore=tuple(settings.per_file_ignored(path)))
    try:
        doc = load_document(path, data)
        if mode in ("check", "noqa"):
            result = lint_document(doc, options)
            if with_edits:
                _add_edits(result)
            return _cell_errors(result)
        result, new_bytes, new_texts = fix_document(doc, options)
        if new_bytes is not None:
            if mode == "fix" and data is None:
                try:
                    write_document(doc, new_bytes)
                except DocumentError as error:
                    # Not written: report what is in the file as it is, and why.
                    result = lint_document(doc, options)
                    result.error = error.reason
                    result.unwritten = True
                    return _cell_errors(result)
            elif mode == "fix":
                result.new_bytes = new_bytes  # stdin: printed instead of written
            else:
                from .report.diff import unified_diff

                result.diff = unified_diff(doc, new_texts)
                result.findings = lint_document(doc, options).findings
        elif with_edits:
            _add_edits(result)
        return _cell_errors(result)
    except DocumentError as error:
        return FileResult(path, error=error.reason)
    except RecursionError:
        return FileResult(path, error="code nested too deeply to analyse (RecursionError)")
    except Exception as error:  # a bug of ours must not stop the other files
        return FileResult(path, error=f"internal error: {type(error).__name__}: {error}")


def _cell_errors(result):
    """A notebook cell that does not parse is an error in every format, as a .py syntax
    error is (the engine skipped it and said so in a note)."""
    from .engine import CELL_SKIPPED

    broken = [note for note in result.notes if note.endswith(CELL_SKIPPED)]
    if broken:
        result.notes = [note for note in result.notes if note not in broken]
        reasons = "; ".join(note[: -len(CELL_SKIPPED)] for note in broken)
        what = "cell" if len(broken) == 1 else "cells"
        own = f"{reasons} ({what} not analysed)"
        result.error = f"{result.error}; {own}" if result.error else own
    return result


def _add_edits(result) -> None:
    """Fill each fixable finding's edits (display coordinates) for json and sarif."""
    from .engine import edits_for

    doc = result.document
    if doc is None:
        return
    for finding in result.findings:
        if finding.fix is not None and not finding.edits:
            try:
                finding.edits = edits_for(doc, finding)
            except Exception:  # an edit preview must never cost the finding itself
                finding.edits = ()


# ------------------------------------------------------------------ stdin
def run_stdin(args, resolver) -> int:
    """`bf16lint -`: lint the code on stdin under --stdin-filename (default: a script).
    With --fix the (fixed) code goes to stdout and the report to stderr, as in ruff;
    with --diff the diff goes to stdout."""
    name = _clean_path(args.stdin_filename) if args.stdin_filename else "-"
    data = sys.stdin.buffer.read()
    settings = resolver.for_path(name if args.stdin_filename else os.path.join(os.getcwd(), "-"))
    mode = "diff" if args.diff else "fix" if args.fix else "check"
    if settings.force_exclude and args.stdin_filename and settings.is_excluded(name):
        if mode == "fix":
            sys.stdout.buffer.write(data)
        return 0
    if args.stdin_filename and not name.endswith(SOURCE_SUFFIXES):
        return _error(f"--stdin-filename {name}: not a Python file or notebook (.py, .pyi, .ipynb)")
    with_edits = (args.output_format or "text") in EDIT_FORMATS
    result = _process((name, _options_for(settings, args.unsafe_fixes), mode, with_edits, data))
    if mode == "fix":
        sys.stdout.buffer.write(result.new_bytes or data)
        sys.stdout.flush()
        return report([result], args, mode, out=sys.stderr)
    return report([result], args, mode)


# ------------------------------------------------------------------ reporting
def use_color(choice: str, stream) -> bool:
    """--color wins; then NO_COLOR (off) and FORCE_COLOR (on), when set and not empty;
    otherwise colour only on a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def report(results, args, mode: str, out=None) -> int:
    from .report import render
    from .report._common import plural, severity_phrase
    from .rules import RULES

    fmt = args.output_format or "text"
    out = out or sys.stdout
    if args.output_file:
        try:
            directory = os.path.dirname(os.path.abspath(args.output_file))
            os.makedirs(directory, exist_ok=True)
            out = open(args.output_file, "w", encoding="utf-8")
        except OSError as error:
            return _error(f"cannot write --output-file {args.output_file}: {error.strerror or error}")
    color = use_color(args.color, out)
    try:
        if mode == "diff":
            for result in results:
                if result.diff:
                    out.write(result.diff)
                    if not result.diff.endswith("\n"):
                        out.write("\n")
            errors = [r for r in results if r.error]
            for result in errors:
                print(f"{result.path}: error: {result.error}", file=sys.stderr)
            changed = sum(1 for r in results if r.diff)
            would = severity_phrase(f for r in results for f in r.fixed)
            print(f"Would fix {would} in {plural(changed, 'file')}." if changed
                  else "No errors would be fixed.", file=sys.stderr)
            if errors:
                return 2
            return 1 if changed else 0
        text = render(
            fmt, results, RULES, color=color, show_fixes=args.show_fixes, statistics=args.statistics,
            fix_mode=mode == "fix", unsafe_fixes=args.unsafe_fixes,
        )
        out.write(text)
    finally:
        if out not in (sys.stdout, sys.stderr):
            out.close()
    if any(r.error for r in results):
        return 2
    if args.exit_non_zero_on_fix and any(r.fixed for r in results):
        return 1
    failing = sum(
        1 for r in results for f in r.findings if args.fail_on == "warning" or f.severity == "error"
    )
    if failing and not args.exit_zero:
        return 1
    return 0


def report_noqa(results) -> int:
    """--add-noqa: write `# noqa: CODE` on every reported line, say how many were added."""
    from .noqa import add_noqa

    added, failed = 0, False
    for result in results:
        if result.error:
            print(f"{result.path}: error: {result.error}", file=sys.stderr)
            failed = True
            continue
        if not result.findings:
            continue
        try:
            added += add_noqa(result.document, result.findings)
        except Exception as error:  # DocumentError (not writable) or a comment we could not place
            print(f"{result.path}: error: {getattr(error, 'reason', error)}", file=sys.stderr)
            failed = True
    from .report._common import plural

    print(f"Added {plural(added, 'noqa directive')}.", file=sys.stderr)
    return 2 if failed else 0


def show_settings(resolver, paths) -> int:
    import json

    shown = [{"path": path, **resolver.for_path(path).as_dict(path)} for path in paths]
    # One path: one JSON object; several: a JSON list of them.
    print(json.dumps(shown[0] if len(shown) == 1 else shown, indent=2))
    return 0


def _rule_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bf16lint rule", description="Print a rule's documentation page.")
    parser.add_argument("code", nargs="?", help="a rule code, e.g. BFD001 (any case)")
    parser.add_argument("--all", action="store_true", help="print every rule")
    parser.add_argument("--output-format", choices=("text", "json"), default="text",
                        help="text (the Markdown page, default) or json")
    return parser


def rule_command(argv: List[str]) -> int:
    from .config import UNUSED_NOQA
    from .noqa import UNUSED_NOQA_PAGE
    from .rules import RULES

    parser = _rule_parser()
    args = parser.parse_args(argv)
    if args.all == bool(args.code):
        parser.print_usage(sys.stderr)
        return _error("name one rule code, or --all")
    pages = {**{code: rule.doc_markdown() for code, rule in RULES.items()}, UNUSED_NOQA: UNUSED_NOQA_PAGE}
    if args.all:
        codes = list(RULES)  # the analysis rules; BFD800 (about comments) by name only
    else:
        code = args.code.upper()
        if code not in pages:
            from .config import _suggest

            return _error(f"unknown rule {args.code!r}{_suggest(code, tuple(pages))}; known: {', '.join(pages)}")
        codes = [code]
    if args.output_format == "json":
        import json

        objects = [_rule_object(code, pages[code], RULES.get(code)) for code in codes]
        print(json.dumps(objects if args.all else objects[0], indent=2))
    elif args.all:
        print("\n\n".join(pages[code] for code in codes))
    else:
        print(pages[codes[0]])
    return 0


def _rule_object(code: str, page: str, rule) -> dict:
    """A rule as `ruff rule --output-format json` shapes it, plus the severity."""
    if rule is None:  # BFD800
        return {"code": code, "name": "unused-noqa", "linter": "bf16lint", "severity": "warning",
                "summary": "A `# noqa` comment names a bf16lint code that it does not suppress",
                "fix": "None", "explanation": page, "preview": False}
    return {
        "code": rule.code,
        "name": rule.name,
        "linter": "bf16lint",
        "severity": rule.severity,
        "summary": rule.summary,
        "fix": "Fix is sometimes available." if rule.invalid and any(e.fixed for e in rule.invalid) else "None",
        "explanation": page,
        "preview": False,
    }
