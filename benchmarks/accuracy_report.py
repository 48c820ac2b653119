"""Tables for the accuracy benchmark: per rule code and per axis value, as text and Markdown."""
from __future__ import annotations

from collections import defaultdict
from typing import Dict, List, Sequence

from accuracy_lint import CRASH_CODES, agrees


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def rule_rows(rows: Sequence) -> List[List]:
    """rows: objects with .label and .hits; invalid labels skipped."""
    out = []
    valid = [r for r in rows if r.label.code != "invalid"]
    for code in CRASH_CODES:
        pos = [r for r in valid if r.label.code == code]
        tp = sum(any(h.code == code and agrees(h, r.label) for h in r.hits) for r in pos)
        fp = sum(any(h.code == code and not agrees(h, r.label) for h in r.hits) for r in valid)
        out.append([code, len(valid), len(pos), tp, fp, len(pos) - tp, _ratio(tp, len(pos)), _ratio(tp, tp + fp)])
    pos = [r for r in valid if r.label.code in CRASH_CODES]
    flagged = [r for r in valid if any(h.code in CRASH_CODES for h in r.hits)]
    tp = sum(1 for r in flagged if r.label.code in CRASH_CODES)
    fp = len(flagged) - tp
    out.append(["any (program)", len(valid), len(pos), tp, fp, len(pos) - tp, _ratio(tp, len(pos)), _ratio(tp, tp + fp)])
    tp = sum(1 for r in pos if r.verdict == "agree")
    fp = sum(1 for r in valid if r.verdict in ("FP", "wrong"))
    out.append(["located (contract)", len(valid), len(pos), tp, fp, len(pos) - tp, _ratio(tp, len(pos)), _ratio(tp, tp + fp)])
    return out


RULE_HEADER = ["rule", "n", "positives", "TP", "FP", "FN", "recall", "precision"]
AXIS_HEADER = ["value", "n", "positives", "TP", "FP", "FN", "recall", "precision"]


def axis_tables(rows: Sequence) -> Dict[str, List[List]]:
    """Program-level agreement per axis value: TP a positive the linter locates right; FN a
    positive it misses or misplaces; FP a report on a quiet program or a misplaced one."""
    tables: Dict[str, Dict[str, List[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))
    for r in rows:
        if r.label.code == "invalid":
            continue
        positive = r.label.code in CRASH_CODES
        for axis, value in r.axes.items():
            cell = tables[axis][value]
            cell[0] += 1
            cell[1] += positive
            cell[2] += positive and r.verdict == "agree"
            cell[3] += r.verdict in ("FP", "wrong")
            cell[4] += positive and r.verdict != "agree"
    out = {}
    for axis, values in tables.items():
        out[axis] = [[v, n, p, tp, fp, fn, _ratio(tp, p), _ratio(tp, tp + fp)]
                     for v, (n, p, tp, fp, fn) in sorted(values.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    return out


def text_table(header: List[str], rows: List[List]) -> str:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(header: List[str], rows: List[List]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" if i == 0 else "---:" for i in range(len(header))) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
