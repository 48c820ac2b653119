"""How often does bf16lint agree with running the code? Generates programs, labels each by
running it (the oracle), lints it in-process, and prints recall and precision per rule code
and per axis value; then applies plain `--fix` to every positive and runs it again; every
disagreement is shrunk to a small repro and written to the output folder.

    python benchmarks/accuracy.py [--n N] [--seed S] [--layout script notebook project]
                                  [--jobs J] [--out DIR] [--shrink N] [--shrink-budget SECONDS]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for path in (ROOT, HERE):
    if path not in sys.path:
        sys.path.insert(0, path)

from accuracy_lint import CRASH_CODES, Hit, fix_program, lint_program, verdict  # noqa: E402
from accuracy_report import (AXIS_HEADER, RULE_HEADER, axis_tables, markdown_table, rule_rows,  # noqa: E402
                             text_table)


@dataclass
class Row:
    index: int
    program: object
    axes: Dict[str, str]
    label: object
    hits: List[Hit]
    verdict: str
    lint_errors: List[str] = field(default_factory=list)
    fix: Optional[str] = None  # outcome of the fixed program: clean | still_crashes | moved_crash | broken | no_fix


def fix_outcome(on, off) -> str:
    verdicts = [v for v in (on, off) if v is not None]
    if all(v.status == "ok" for v in verdicts):
        return "clean"
    if any(v.status == "dtype_error" and v.direction == "bf16_input" for v in verdicts):
        return "still_crashes"
    if any(v.status == "dtype_error" for v in verdicts):
        return "moved_crash"
    return "broken"


class Oracle:
    """The oracle calls this benchmark makes, with their time counted."""

    def __init__(self, jobs: int, timeout: float):
        from oracle import label_programs, run_programs

        self.label_programs, self.run_programs = label_programs, run_programs
        self.jobs, self.timeout = jobs, timeout
        self.programs_run = 0

    def label(self, programs):
        self.programs_run += len(programs)
        return self.label_programs(programs, jobs=self.jobs, timeout=self.timeout) if programs else []

    def run_both(self, programs):
        """Verdicts with autocast on and off for each program (None for off where the
        program spells no autocast at all, so both runs are the same run)."""
        if not programs:
            return []
        on = self.run_programs(programs, jobs=self.jobs, timeout=self.timeout, autocast=True)
        # As label_programs: a run that entered no enabled autocast is its own autocast-free run.
        need = [i for i, p in enumerate(programs)
                if on[i].status == "ok" and getattr(on[i], "autocast_entered", True) and _may_autocast(p)]
        off_some = self.run_programs([programs[i] for i in need], jobs=self.jobs, timeout=self.timeout,
                                     autocast=False) if need else []
        self.programs_run += len(programs) + len(need)
        off = [None] * len(programs)
        for i, verdict_off in zip(need, off_some):
            off[i] = verdict_off
        return list(zip(on, off))


_AUTOCAST_WORDS = ("autocast", "accelerate", "lightning", "precision")


def _may_autocast(program) -> bool:
    return any(word in text for text in program.files.values() for word in _AUTOCAST_WORDS)


def check_fixes(oracle: Oracle, rows: Sequence[Row]) -> None:
    """Plain --fix on each positive and on each quiet program the linter flagged; run again."""
    todo, fixed = [], []
    for row in rows:
        positive = row.label.code in CRASH_CODES
        flagged_quiet = row.label.code is None and row.verdict == "FP"
        if not (positive or flagged_quiet):
            continue
        new = fix_program(row.program) if row.hits else None
        if new is None:
            row.fix = "no_fix"
            continue
        todo.append(row)
        fixed.append(new)
    for row, new, (on, off) in zip(todo, fixed, oracle.run_both(fixed)):
        row.fix = fix_outcome(on, off)
        row.fixed_program = new


def disagreement(row: Row) -> Optional[str]:
    if row.verdict in ("FN", "FP", "wrong"):
        return row.verdict if row.label.code is None or row.verdict == "FP" else f"{row.verdict}-{row.label.code}"
    if row.label.code in CRASH_CODES and row.fix not in (None, "clean"):
        return f"fix-{row.fix}"
    return None


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--layout", nargs="+", default=["script", "notebook"], choices=["script", "notebook", "project"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per program run")
    ap.add_argument("--out", default=None, help="repro folder (default benchmarks/out/accuracy-<seed>/)")
    ap.add_argument("--shrink", type=int, default=50, help="shrink at most this many disagreements (0: none)")
    ap.add_argument("--shrink-budget", type=float, default=120.0, help="seconds for all shrinking")
    ap.add_argument("--no-fix", action="store_true", help="skip the --fix re-runs")
    ap.add_argument("--write-gaps", default=None, help="write the disagreements as a known-gaps list to this file")
    args = ap.parse_args(argv)
    out_dir = args.out or os.path.join(HERE, "out", f"accuracy-{args.seed}")

    from oracle.generator import generate

    started = time.monotonic()
    generated = generate(args.n, args.seed, tuple(args.layout))
    programs = [g.program for g in generated]
    t_gen = time.monotonic() - started
    oracle = Oracle(args.jobs, args.timeout)
    # The oracle's workers run the programs while this process lints them.
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(oracle.label, programs)
        t0 = time.monotonic()
        linted = [lint_program(p) for p in programs]
        t_lint = time.monotonic() - t0
        labels = future.result()
    t_label = time.monotonic() - started - t_gen
    rows = [Row(i, g.program, dict(g.axes), label, hits, verdict(label, hits), errors)
            for i, (g, label, (hits, errors)) in enumerate(zip(generated, labels, linted))]
    t0 = time.monotonic()
    if not args.no_fix:
        check_fixes(oracle, rows)
    t_fix = time.monotonic() - t0

    invalid = [r for r in rows if r.label.code == "invalid"]
    print(f"# bf16lint accuracy: {args.n} generated programs (seed {args.seed}, layouts {', '.join(args.layout)})\n")
    counts = {c: sum(1 for r in rows if r.label.code == c) for c in ("BFD001", "BFD002", None, "invalid")}
    print(f"oracle labels: BFD001 {counts['BFD001']}, BFD002 {counts['BFD002']}, quiet {counts[None]}, invalid {counts['invalid']}"
          f" ({100 * len(invalid) / max(1, len(rows)):.1f}%)")
    lint_errors = sum(1 for r in rows if r.lint_errors)
    if lint_errors:
        print(f"bf16lint could not read {lint_errors} programs")
    bfd003 = sum(1 for r in rows if any(h.code == "BFD003" for h in r.hits))
    print(f"BFD003 reported in {bfd003} programs (not scored: the oracle labels crashes only)\n")
    rules = rule_rows(rows)
    print(text_table(RULE_HEADER, rules) + "\n")
    tables = axis_tables(rows)
    for axis, table in tables.items():
        print(f"## axis: {axis}")
        print(text_table(AXIS_HEADER, table) + "\n")
    fix_summary = ""
    if not args.no_fix:
        pos = [r for r in rows if r.label.code in CRASH_CODES]
        outcome = {k: sum(1 for r in pos if r.fix == k) for k in ("clean", "still_crashes", "moved_crash", "broken", "no_fix")}
        quiet_fixed = [r for r in rows if r.label.code is None and r.fix not in (None, "no_fix")]
        broke = sum(1 for r in quiet_fixed if r.fix != "clean")
        fix_summary = (f"plain --fix on the {len(pos)} positives: {outcome['clean']} run clean with autocast on and off, "
                       f"{outcome['still_crashes']} still crash, {outcome['moved_crash']} crash the other way (fp32 into a bf16 model), "
                       f"{outcome['broken']} broken otherwise, {outcome['no_fix']} not fixed (no finding or no fix); "
                       f"false fixes on quiet programs: {len(quiet_fixed)} applied, {broke} broke a working program")
        print(fix_summary + "\n")

    dis = [(r, disagreement(r)) for r in rows]
    dis = [(r, k) for r, k in dis if k]
    if args.write_gaps:
        write_gaps(args.write_gaps, dis, args)
    t0 = time.monotonic()
    write_repros(out_dir, dis, oracle, args)
    t_shrink = time.monotonic() - t0
    total = time.monotonic() - started
    timing = (f"wall time {total:.0f} s (generate {t_gen:.1f} s, label {t_label:.0f} s with lint {t_lint:.1f} s beside it, "
              f"fix re-runs {t_fix:.0f} s, repros {t_shrink:.0f} s; {oracle.programs_run} program runs, {args.jobs} jobs)")
    print(f"{len(dis)} disagreements written to {out_dir}")
    print(timing + "\n")
    md = [f"Seed {args.seed}, {args.n} programs, layouts {', '.join(args.layout)}; "
          f"invalid {len(invalid)}; {timing}.", "", markdown_table(RULE_HEADER, rules), ""]
    if fix_summary:
        md += [fix_summary[0].upper() + fix_summary[1:] + ".", ""]
    for axis, table in tables.items():
        md += [f"**{axis}**", "", markdown_table(AXIS_HEADER, table), ""]
    print("## Markdown\n")
    print("\n".join(md))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "summary.md"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(md) + "\n")
    return 0


def write_gaps(path: str, dis, args) -> None:
    lines = [f"# Known gaps: generated programs (seed {args.seed}, n {args.n}, layouts {' '.join(args.layout)}) where",
             "# bf16lint disagrees with the oracle today. One per line: index, verdict, shape (axes).",
             "# Regenerate: python benchmarks/accuracy.py --n N --seed S --layout ... --no-fix --shrink 0 --write-gaps PATH"]
    for row, kind in dis:
        if kind.startswith("fix-"):
            continue
        ax = row.axes
        shape = ",".join(f"{k}={ax[k]}" for k in ("source", "flag", "transport", "protection", "sink", "form", "layout"))
        lines.append(f"{row.index} {kind} {shape}")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------- repros
def _holds_for(oracle: Oracle, originals: Sequence[Row], kinds: Sequence[str]):
    def holds(candidates, owners):
        labels = oracle.label(candidates)
        results = []
        fix_need = []
        for idx, (cand, owner, label) in enumerate(zip(candidates, owners, labels)):
            row, kind = originals[owner], kinds[owner]
            hits, _ = lint_program(cand)
            v = verdict(label, hits)
            ok = label.code == row.label.code
            if kind.startswith("fix-"):
                ok = ok and v == "agree"
                if ok:
                    fixed = fix_program(cand)
                    if fixed is None:
                        ok = kind == "fix-no_fix"
                    elif kind != "fix-no_fix":
                        fix_need.append((idx, fixed, kind[4:]))
                        ok = None
            else:
                ok = ok and v == row.verdict
            results.append(ok)
        if fix_need:
            for (idx, _, want), pair in zip(fix_need, oracle.run_both([f for _, f, _ in fix_need])):
                results[idx] = fix_outcome(*pair) == want
        return [bool(r) for r in results]
    return holds


def _shift(frames_or_hits, entry: str, lines: int, cells: int):
    out = []
    for item in frames_or_hits:
        if item.file == entry:
            if item.cell is not None:
                item = type(item)(**{**item.__dict__, "cell": item.cell + cells})
            else:
                item = type(item)(**{**item.__dict__, "line": item.line + lines})
        out.append(item)
    return out


def _where(item) -> str:
    return f"{item.file}:cell {item.cell}:{item.line}" if item.cell is not None else f"{item.file}:{item.line}"


def write_repros(out_dir: str, dis, oracle: Oracle, args) -> None:
    from accuracy_shrink import shrink_all

    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    chosen = dis[: args.shrink]
    programs = [r.program for r, _ in chosen]
    if chosen:
        holds = _holds_for(oracle, [r for r, _ in chosen], [k for _, k in chosen])
        programs = shrink_all(programs, holds, args.shrink_budget)
    # Only the shrunk programs changed: label those again, reuse the rest.
    labels = (oracle.label(programs) if chosen else []) + [r.label for r, _ in dis[args.shrink:]]
    final = programs + [r.program for r, _ in dis[args.shrink:]]
    index = ["# Disagreements between bf16lint and the oracle", "",
             "| program | kind | axes | oracle | bf16lint | repro |", "| --- | --- | --- | --- | --- | --- |"]
    for n, ((row, kind), program, label) in enumerate(zip(dis, final, labels)):
        hits = lint_program(program)[0] if n < len(chosen) else row.hits
        write_one(out_dir, row, kind, program, label, hits, n < len(chosen), index)
    with open(os.path.join(out_dir, "index.md"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(index) + "\n")


def write_one(out_dir, row: Row, kind: str, program, label, hits, shrunk: bool, index: List[str]) -> None:
    entry = program.entry
    axes = ", ".join(f"{k}={v}" for k, v in row.axes.items())
    env = " ".join(f"{k}={v}" for k, v in program.env.items())
    run = " ".join([entry, *program.argv]) + (f"  (env: {env})" if env else "")
    notebook = entry.endswith(".ipynb")
    header_lines = 5 + (1 if row.fix else 0)
    # Positions in the header point into the file as written, header included.
    frames = _shift(label.frames, entry, 0 if notebook else header_lines, 1 if notebook else 0)
    shifted = _shift(hits, entry, 0 if notebook else header_lines, 1 if notebook else 0)
    oracle_text = f"{label.code or 'quiet'}" + (f" at {' <- '.join(_where(f) for f in reversed(frames))}" if frames else "")
    if label.code not in CRASH_CODES and label.verdict.message:
        oracle_text += f" ({label.verdict.message.splitlines()[0][:200]})"
    lint_text = "; ".join(f"{h.code} at {_where(h)}" for h in shifted) or "nothing"
    header = [f"bf16lint accuracy repro: {kind} (program {row.index}{', shrunk' if shrunk else ''})",
              f"axes: {axes}", f"run: {run}", f"oracle: {oracle_text}", f"bf16lint: {lint_text}"]
    if row.fix:
        header.append(f"after --fix (original program): {row.fix}")
    files = dict(program.files)
    if notebook:
        data = json.loads(files[entry])
        data["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": "\n".join(header)})
        files[entry] = json.dumps(data, indent=1) + "\n"
    else:
        files[entry] = "\n".join("# " + h for h in header) + "\n" + files[entry]
    name = f"{row.index:05d}-{kind}-{row.axes.get('sink', '')}"
    if len(files) == 1:
        target = os.path.join(out_dir, name + os.path.splitext(entry)[1])
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(files[entry])
        rel = os.path.basename(target)
    else:
        for path, text in files.items():
            target = os.path.join(out_dir, name, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        rel = name + "/"
    index.append(f"| {row.index} | {kind} | {axes} | {oracle_text} | {lint_text} | [{rel}]({rel}) |")


if __name__ == "__main__":
    sys.exit(main())
