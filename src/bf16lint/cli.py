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
        epilog="bf16lint rule BFD001 | bf16lint rule --all prints the rule docs.",
    )
    parser.add_argument("paths", nargs="*", default=None, help="files or directories (default: .)")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a diff; write nothing")
    parser.add_argument("--fix-style", choices=("insert", "wrap"), help="insert casts in loops (default) or wrap the model where it is built")
    parser.add_argument("--select", help="comma-separated codes or prefixes to enable (default: BFD)")
    parser.add_argument("--extend-select", help="codes to enable on top of the selection")
    parser.add_argument("--ignore", help="comma-separated codes or prefixes to disable")
    parser.add_argument(
        "--output-format",
        choices=("text", "concise", "json", "json-lines", "github", "sarif"),
        default=None,
        help="how findings are printed (default: text)",
    )
    parser.add_argument("--output-file", help="write the report to this file instead of stdout")
    parser.add_argument("--statistics", action="store_true", help="print counts per rule instead of findings")
    parser.add_argument("--show-fixes", action="store_true", help="list the fixes that were applied")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    parser.add_argument("--exit-non-zero-on-fix", action="store_true", help="exit 1 when any file was fixed")
    parser.add_argument("--force-exclude", action="store_true", help="apply exclusions to paths given explicitly too")
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


def _main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "rule":
        return rule_command(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    from .config import ConfigError, SettingsResolver

    try:
        resolver = SettingsResolver(_overrides(args), args.config)
    except ConfigError as error:
        print(f"bf16lint: error: {error}", file=sys.stderr)
        return 2
    paths = args.paths or ["."]
    if args.show_settings:
        try:
            return show_settings(resolver, paths)
        except ConfigError as error:
            print(f"bf16lint: error: {error}", file=sys.stderr)
            return 2
    try:
        files, missing = discover(paths, resolver, args.force_exclude)
    except ConfigError as error:
        print(f"bf16lint: error: {error}", file=sys.stderr)
        return 2
    mode = "diff" if args.diff else "fix" if args.fix else "check"
    from .findings import FileResult

    results: List[FileResult] = [FileResult(p, error="no such file or directory") for p in missing]
    # json and sarif carry each fix's edits; computing them costs a libcst pass per finding.
    with_edits = (args.output_format or "text") in EDIT_FORMATS
    try:
        results.extend(run_files(files, resolver, mode, args.unsafe_fixes, args.jobs, with_edits))
    except ConfigError as error:
        print(f"bf16lint: error: {error}", file=sys.stderr)
        return 2
    return report(results, args, mode)


def _overrides(args) -> dict:
    from .config import code_list, normalise_select

    overrides = {}
    # A bad code raises ConfigError naming the flag; main() turns it into exit 2.
    if args.select is not None:
        overrides["select"] = normalise_select(list(code_list(args.select, "--select")))
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
def discover(paths: Sequence[str], resolver, force_exclude: bool) -> Tuple[List[str], List[str]]:
    files: List[str] = []
    missing: List[str] = []
    seen = set()
    for path in paths:
        if not os.path.lexists(path):
            missing.append(path)
            continue
        if os.path.isdir(path):
            settings = resolver.for_path(path)
            if (force_exclude or settings.force_exclude) and settings.is_excluded(path):
                continue
            for found in walk(path, resolver):
                if found not in seen:
                    seen.add(found)
                    files.append(found)
            continue
        settings = resolver.for_path(path)
        if (force_exclude or settings.force_exclude) and settings.is_excluded(path):
            continue
        if path not in seen:
            seen.add(path)
            files.append(path)
    return files, missing


def walk(root: str, resolver) -> Iterator[str]:
    """Source files under root, sorted, excluded directories pruned. Directory symlinks
    are not followed, so a link loop cannot hang the walk."""
    for directory, subdirs, names in os.walk(root):
        settings = resolver.for_path(os.path.join(directory, "_"))
        subdirs[:] = sorted(
            d for d in subdirs
            if not settings.is_excluded(os.path.join(directory, d), ancestors=False)
            and not os.path.islink(os.path.join(directory, d))
        )
        for name in sorted(names):
            if name.endswith(SOURCE_SUFFIXES):
                path = os.path.join(directory, name)
                if os.path.isfile(path) and not settings.is_excluded(path, ancestors=False):
                    yield path


# ------------------------------------------------------------------ running
def run_files(files: List[str], resolver, mode: str, unsafe: bool, jobs: int, with_edits: bool = False):
    from .findings import FileResult

    options_cache = {}
    candidates, results = [], {}
    candidate_bytes = 0
    for path in files:
        settings = resolver.for_path(path)
        if id(settings) not in options_cache:
            options_cache[id(settings)] = _options_for(settings, unsafe)
        size = _worth_analysing(path, options_cache[id(settings)])
        if size is None:
            results[path] = FileResult(path)
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


def _options_for(settings, unsafe):
    from .engine import LintOptions

    return LintOptions(
        select=settings.selected(),
        ignore=settings.ignore,
        knowledge=settings.knowledge,
        unsafe_fixes=unsafe,
        fix_style=settings.fix_style,
    ), settings


def _worth_analysing(path: str, options_and_settings) -> Optional[int]:
    """The prefilter: read the bytes and look for both kinds of evidence (bf16 and a
    backbone). Returns the size to analyse, or None when the file cannot hold the bug.
    A notebook without evidence still gets a cheap structural check, so a broken one is
    reported; anything that cannot be read is handed on so its reason is reported."""
    from .documents import DocumentError
    from .documents._files import read_file_bytes

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
        return len(data) if options.knowledge.may_contain_bug(code) else None
    if options.knowledge.may_contain_bug_bytes(data):
        return len(data)
    return None


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
    from dataclasses import replace

    from .documents import DocumentError, load_document, write_document
    from .engine import fix_document, lint_document
    from .findings import FileResult

    options = replace(options, file_ignore=tuple(settings.per_file_ignored(path)))
    try:
        doc = load_document(path)
        if mode == "check":
            result = lint_document(doc, options)
            if with_edits:
                _add_edits(result)
            return result
        result, new_bytes, new_texts = fix_document(doc, options)
        if new_bytes is not None:
            if mode == "fix":
                write_document(doc, new_bytes)
            else:
                from .report.diff import unified_diff

                result.diff = unified_diff(doc, new_texts)
                result.findings = lint_document(doc, options).findings
        elif with_edits:
            _add_edits(result)
        return result
    except DocumentError as error:
        return FileResult(path, error=error.reason)
    except RecursionError:
        return FileResult(path, error="code nested too deeply to analyse (RecursionError)")
    except Exception as error:  # a bug of ours must not stop the other files
        return FileResult(path, error=f"internal error: {type(error).__name__}: {error}")


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


# ------------------------------------------------------------------ reporting
def report(results, args, mode: str) -> int:
    from .report import render
    from .rules import RULES

    fmt = args.output_format or "text"
    out = sys.stdout
    if args.output_file:
        try:
            directory = os.path.dirname(os.path.abspath(args.output_file))
            os.makedirs(directory, exist_ok=True)
            out = open(args.output_file, "w", encoding="utf-8")
        except OSError as error:
            print(f"bf16lint: error: cannot write --output-file {args.output_file}: {error.strerror or error}",
                  file=sys.stderr)
            return 2
    color = out is sys.stdout and sys.stdout.isatty() and "NO_COLOR" not in os.environ
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
            print(f"Would fix {sum(len(r.fixed) for r in results)} errors in {changed} files." if changed
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
        if out is not sys.stdout:
            out.close()
    if any(r.error for r in results):
        return 2
    if args.exit_non_zero_on_fix and any(r.fixed for r in results):
        return 1
    remaining = sum(len(r.findings) for r in results)
    if remaining and not args.exit_zero:
        return 1
    return 0


def show_settings(resolver, paths) -> int:
    import json

    shown = [{"path": path, **resolver.for_path(path).as_dict(path)} for path in paths]
    # One path: one JSON object; several: a JSON list of them.
    print(json.dumps(shown[0] if len(shown) == 1 else shown, indent=2))
    return 0


def rule_command(argv: List[str]) -> int:
    from .rules import RULES

    if not argv:
        print("usage: bf16lint rule CODE | bf16lint rule --all", file=sys.stderr)
        return 2
    if argv[0] == "--all":
        print("\n\n".join(rule.doc_markdown() for rule in RULES.values()))
        return 0
    code = argv[0].upper()
    if code not in RULES:
        print(f"bf16lint: error: unknown rule {argv[0]!r}; known: {', '.join(RULES)}", file=sys.stderr)
        return 2
    print(RULES[code].doc_markdown())
    return 0
