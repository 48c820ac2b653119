"""bf16lint in-process on an oracle Program, and the contract's agreement rule.

A finding (file, cell, line, code) agrees with a label when the codes match and (file, cell,
line) is one of the label's frames. A program agrees with its label when every BFD001/BFD002
finding agrees and, for a positive label, there is at least one; BFD003 is not a crash and
the oracle does not label it, so it is counted apart."""
from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Sequence, Tuple

from bf16lint.documents import DocumentError, load_document
from bf16lint.engine import LintOptions, fix_document, lint_document

CRASH_CODES = ("BFD001", "BFD002")


@dataclass(frozen=True)
class Hit:
    file: str
    cell: Optional[int]
    line: int
    code: str

    def __str__(self) -> str:
        where = f"{self.file}:cell {self.cell}:{self.line}" if self.cell is not None else f"{self.file}:{self.line}"
        return f"{self.code} at {where}"


def _lintable(path: str) -> bool:
    return path.endswith((".py", ".ipynb"))


@contextlib.contextmanager
def _on_disk(program, options: LintOptions):
    """A program of several files is written to a temporary folder and linted there, so
    project mode (bf16lint.project) finds the modules its files import. Yields the path
    of each file and the options to lint with."""
    if len(program.files) < 2:
        yield (lambda path: path), options
        return
    from bf16lint.project import forget_indexes

    with tempfile.TemporaryDirectory(prefix="bf16lint-program-") as root:
        for path, text in program.files.items():
            target = os.path.join(root, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        try:
            yield (lambda path: os.path.join(root, *path.split("/"))), replace(options, project_root=root)
        finally:
            forget_indexes()


def lint_program(program, options: Optional[LintOptions] = None) -> Tuple[List[Hit], List[str]]:
    """Every finding in every file of the program, and the files that could not be linted."""
    with _on_disk(program, options or LintOptions()) as (where, options):
        return _lint_program(program, options, where)


def _lint_program(program, options: LintOptions, where) -> Tuple[List[Hit], List[str]]:
    hits: List[Hit] = []
    errors: List[str] = []
    for path, text in sorted(program.files.items()):
        if not _lintable(path):
            continue
        try:
            result = lint_document(load_document(where(path), text.encode("utf-8")), options)
        except DocumentError as error:
            errors.append(f"{path}: {error}")
            continue
        except Exception as error:  # noqa: BLE001 - a crash of the linter is its answer for this file
            errors.append(f"{path}: internal error {type(error).__name__}: {error}")
            continue
        if result.error:
            errors.append(f"{path}: {result.error}")
        for f in result.findings:
            loc = f.location
            hits.append(Hit(path, loc.cell if loc else None, loc.row if loc else f.line, f.code))
    return hits, errors


def agrees(hit: Hit, label) -> bool:
    return hit.code == label.code and any(
        fr.file == hit.file and fr.line == hit.line and fr.cell == hit.cell for fr in label.frames)


def verdict(label, hits: Sequence[Hit]) -> str:
    """"invalid", "agree", "FN" (a crash nothing reports), "FP" (a report on a quiet
    program), or "wrong" (a crash reported with the wrong code or at the wrong place)."""
    if label.code == "invalid":
        return "invalid"
    crash = [h for h in hits if h.code in CRASH_CODES]
    if label.code is None:
        return "FP" if crash else "agree"
    if crash and all(agrees(h, label) for h in crash):
        return "agree"
    return "wrong" if crash else "FN"


def fix_program(program, options: Optional[LintOptions] = None):
    """The program after plain `--fix` on each of its files (None when nothing changed)."""
    files: Dict[str, str] = dict(program.files)
    changed = False
    with _on_disk(program, options or LintOptions()) as (where, options):
        for path, text in sorted(program.files.items()):
            if not _lintable(path):
                continue
            try:
                _, new_bytes, _ = fix_document(load_document(where(path), text.encode("utf-8")), options)
            except Exception:  # noqa: BLE001 - DocumentError or an internal error: nothing fixed
                continue
            if new_bytes is not None:
                files[path] = new_bytes.decode("utf-8")
                changed = True
    return replace(program, files=files) if changed else None
