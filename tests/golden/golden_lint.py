"""What the linter reports today over a fixed corpus, as plain sorted data.

The corpus: tests/cases/**/*.py (known gaps included), fixtures/** (.py and .ipynb; the
deliberately broken notebooks of pyproject's extend-exclude are skipped, as the CLI skips
them), tests/oracle/shapes/ (the SHAPES.md programs) and tests/golden/generated/: a frozen
sample of generated programs (written by `regen.py --refresh-sample` from oracle.generator;
frozen so that work on the generator never moves the goldens, and a new sample is a
reviewed change of its own).

Linting goes through the CLI's own file discovery and runner (`cli.discover`,
`cli.run_files`, check mode, one process), so the goldens see exactly what
`bf16lint <paths> --output-format json` would: settings from the nearest pyproject.toml,
the byte prefilter, per-file ignores, noqa.
"""
from __future__ import annotations

import os
import pathlib
import sys
from typing import Dict, List

REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS_DIRS = ("tests/cases", "fixtures", "tests/oracle/shapes", "tests/golden/generated")
SAMPLE_DIR = REPO / "tests" / "golden" / "generated"
# The frozen sample: program i of generate(N, seed) per layout group, in SAMPLE_DIR/<group>-<i>/.
SAMPLE = (
    ("mixed", 60, 1234, ("script", "notebook")),
    ("project", 15, 1234, ("project",)),
)


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


def refresh_sample() -> int:
    """Rewrite SAMPLE_DIR from oracle.generator (the files, and manifest.json with each
    program's entry, argv and axes). Returns the number of programs."""
    import json
    import shutil

    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from oracle.generator import generate

    if SAMPLE_DIR.exists():
        shutil.rmtree(SAMPLE_DIR)
    manifest = {}
    for group, n, seed, layouts in SAMPLE:
        for index, generated in enumerate(generate(n, seed=seed, layouts=layouts)):
            name = f"{group}-{index:03d}"
            for rel, text in generated.program.files.items():
                target = SAMPLE_DIR / name / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode("utf-8"))
            manifest[name] = {"seed": seed, "layouts": list(layouts), "index": index,
                              "entry": generated.program.entry, "argv": list(generated.program.argv),
                              "axes": dict(generated.axes)}
    (SAMPLE_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return len(manifest)


def sample_programs():
    """The frozen sample as oracle Programs, by name (from its files and manifest.json)."""
    import json

    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from oracle import Program

    manifest = json.loads((SAMPLE_DIR / "manifest.json").read_text())
    programs = {}
    for name, info in sorted(manifest.items()):
        root = SAMPLE_DIR / name
        files = {path.relative_to(root).as_posix(): path.read_bytes().decode("utf-8")
                 for path in sorted(root.rglob("*")) if path.is_file()}
        programs[name] = Program(files, info["entry"], tuple(info["argv"]), name=name)
    return manifest, programs


def label_sample() -> int:
    """Record the oracle's label of every sampled program in manifest.json ("oracle": code
    and crash frames), the evidence a golden diff on a generated program is reviewed against."""
    import json

    manifest, programs = sample_programs()  # puts the repository root on sys.path
    from oracle import label_programs

    names = list(programs)
    for name, label in zip(names, label_programs([programs[n] for n in names])):
        manifest[name]["oracle"] = {
            "code": label.code,
            "frames": [[f.file, f.cell, f.line] for f in label.frames],
        }
    (SAMPLE_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return len(names)


def oracle_label_of(path: str):
    """'BFD001 at train.py:39' for a file of the generated sample whose label is recorded."""
    import json

    prefix = SAMPLE_DIR.relative_to(REPO).as_posix() + "/"
    if not path.startswith(prefix):
        return None
    name = path[len(prefix):].split("/")[0]
    try:
        label = json.loads((SAMPLE_DIR / "manifest.json").read_text())[name].get("oracle")
    except (OSError, KeyError, ValueError):
        return None
    if label is None:
        return None
    sites = ", ".join(f"{f}{f' cell {c}' if c else ''}:{line}" for f, c, line in label["frames"])
    return f"{label['code'] or 'quiet'}{' at ' + sites if sites else ''}"


def collect() -> List[dict]:
    return sorted(_entries(_lint_paths(list(CORPUS_DIRS), REPO), REPO), key=sort_key)


def sort_key(entry: dict):
    return (entry["path"], entry["cell"] or 0, entry["line"], entry["column"], entry["code"])
