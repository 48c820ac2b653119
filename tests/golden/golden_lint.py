"""What the linter reports today over a fixed corpus, as plain sorted data.

The corpus: tests/cases/**/*.py (known gaps included), fixtures/** (.py and .ipynb; the
deliberately broken notebooks of pyproject's extend-exclude are skipped, as the CLI skips
them) and a fixed sample of generated programs (oracle.generator, once it exists).

Linting goes through the CLI's own file discovery and runner (`cli.discover`,
`cli.run_files`, check mode, one process), so the goldens see exactly what
`bf16lint <paths> --output-format json` would: settings from the nearest pyproject.toml,
the byte prefilter, per-file ignores, noqa.
"""
from __future__ import annotations

import os
import pathlib
import sys
import tempfile
from typing import Dict, List, Optional

REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS_DIRS = ("tests/cases", "fixtures")
# The generated sample: fixed forever (changing it is a golden diff of its own).
GENERATED_N = 60
GENERATED_SEED = 1234
GENERATED_PREFIX = "generated"


def _fix_fields(finding) -> Dict[str, str]:
    """Every fix a finding carries (today `fix` and `wrap_fix`; a rebuild may add more,
    e.g. an unsafe alternative): attribute name -> "kind/applicability"."""
    out = {}
    names = getattr(finding, "__dataclass_fields__", None) or vars(finding)
    for name in sorted(names):
        plan = getattr(finding, name, None)
        if plan is not None and hasattr(plan, "kind") and hasattr(plan, "applicability"):
            out[name] = f"{plan.kind}/{plan.applicability}"
    return out


def _entries(results, root: pathlib.Path, prefix: str = "") -> List[dict]:
    entries = []
    for result in results:
        rel = pathlib.Path(os.path.relpath(result.path, root)).as_posix()
        path = f"{prefix}{rel}"
        if result.error:
            entries.append({"path": path, "cell": None, "line": 0, "column": 0, "code": "ERROR",
                            "error": result.error})
        for finding in result.findings:
            where = finding.location
            entries.append({
                "path": path,
                "cell": where.cell if where else None,
                "line": where.row if where else finding.line,
                "column": where.column if where else finding.col + 1,
                "code": finding.code,
                "fixes": _fix_fields(finding),
            })
    return entries


def _lint_paths(paths: List[str], root: pathlib.Path) -> list:
    from bf16lint.cli import discover, run_files
    from bf16lint.config import SettingsResolver

    cwd = os.getcwd()
    os.chdir(root)  # settings, excludes and relative paths resolve as for a CLI run at the root
    try:
        resolver = SettingsResolver({}, None)
        files, missing = discover(paths, resolver, False)
        assert not missing, missing
        return run_files(files, resolver, "check", False, 1)
    finally:
        os.chdir(cwd)


def generated_programs() -> Optional[list]:
    """The fixed generated sample, or None while oracle.generator does not exist."""
    if not (REPO / "oracle" / "generator").is_dir():
        return None
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from oracle.generator import generate

    return generate(GENERATED_N, seed=GENERATED_SEED)


def collect(include_generated: bool = True) -> List[dict]:
    entries = _entries(_lint_paths(list(CORPUS_DIRS), REPO), REPO)
    programs = generated_programs() if include_generated else None
    if programs:
        with tempfile.TemporaryDirectory(prefix="bf16lint-golden-") as tmp:
            root = pathlib.Path(tmp)
            for index, generated in enumerate(programs):
                for rel, text in generated.program.files.items():
                    target = root / GENERATED_PREFIX / f"{index:03d}" / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
            entries += _entries(_lint_paths([GENERATED_PREFIX], root), root)
    return sorted(entries, key=sort_key)


def sort_key(entry: dict):
    return (entry["path"], entry["cell"] or 0, entry["line"], entry["column"], entry["code"])
