"""Golden findings: the linter's every finding over a fixed corpus, compared with
tests/golden/findings.json. A change is not wrong by itself: it must be reviewed (see
README.md) and the file regenerated with `python tests/golden/regen.py`."""
from __future__ import annotations

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from golden_lint import collect, oracle_label_of, sort_key  # noqa: E402

GOLDEN = HERE / "findings.json"


def _key(entry):
    return (entry["path"], entry["cell"], entry["line"], entry["code"])


def _show(entry) -> str:
    where = entry["path"] + (f" cell {entry['cell']}" if entry["cell"] is not None else "")
    detail = entry.get("error") or ", ".join(f"{k}={v}" for k, v in sorted(entry.get("fixes", {}).items())) or "no fix"
    label = oracle_label_of(entry["path"])
    evidence = f" [oracle: {label}]" if label else ""
    return f"{where} line {entry['line']}:{entry['column']} {entry['code']} ({detail}){evidence}"


def golden_diff(expected, actual) -> str:
    """Readable added / removed / changed entries, matched on (path, cell, line, code)."""
    old = {}
    for entry in expected:
        old.setdefault(_key(entry), []).append(entry)
    new = {}
    for entry in actual:
        new.setdefault(_key(entry), []).append(entry)
    lines = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[0], k[1] or 0, k[2], k[3])):
        before, after = old.get(key, []), new.get(key, [])
        if before == after:
            continue
        if before and after and len(before) == len(after):
            for b, a in zip(before, after):
                if b != a:
                    lines.append(f"~ changed {_show(b)}\n          -> {_show(a)}")
            continue
        lines += [f"- removed {_show(e)}" for e in before if e not in after]
        lines += [f"+ added   {_show(e)}" for e in after if e not in before]
    return "\n".join(lines)


def test_findings_match_golden():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = collect()
    if actual != expected:
        diff = golden_diff(expected, actual)
        raise AssertionError(
            f"findings differ from {GOLDEN.name} ({len(expected)} golden, {len(actual)} now):\n{diff}\n"
            "Review each change; if right, run `python tests/golden/regen.py` and explain every "
            "change in the commit message (tests/golden/README.md)."
        )


def test_golden_file_is_sorted_and_unique():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert expected == sorted(expected, key=sort_key)
    assert len({json.dumps(e, sort_keys=True) for e in expected}) == len(expected)


def test_diff_names_added_removed_and_changed():
    base = {"path": "a.py", "cell": None, "line": 3, "column": 5, "code": "BFD001",
            "fixes": {"fix": "insert_cast/safe"}}
    changed = dict(base, fixes={"fix": "rewrite_cast/unsafe"})
    added = dict(base, line=9, code="BFD002")
    removed = dict(base, line=1)
    text = golden_diff([removed, base], [changed, added])
    assert "- removed a.py line 1:5 BFD001" in text
    assert "+ added   a.py line 9:5 BFD002" in text
    assert "~ changed a.py line 3:5 BFD001 (fix=insert_cast/safe)" in text
    assert "-> a.py line 3:5 BFD001 (fix=rewrite_cast/unsafe)" in text
