#!/usr/bin/env python3
"""Time bf16lint against its peers on a realistic corpus (or any directory).

    python benchmarks/run.py                  # generates benchmarks/corpus if missing, full run
    python benchmarks/run.py --quick          # small corpus, one run each: a smoke check
    python benchmarks/run.py --only ruff,bf16lint --runs 7
    python benchmarks/run.py path/to/some/repo --only bf16lint,ruff

Every row is a whole process, timed from outside: wall seconds from time.perf_counter()
around the child, user/system CPU seconds and peak RSS from os.wait4()'s rusage of that
child (its reaped worker processes included; "peak RSS" is the largest single process,
not the sum over workers). Rows run interleaved, round by round (A B C ... A B C ...),
after one warm-up round, so drift of a shared machine hits every row alike; medians are
quoted, and each row's ratio to ruff is the median of the per-round ratios.

Writes a Markdown table (stdout and benchmarks/results/<timestamp>.md, copied to
latest.md), the raw runs as JSON, and each row's first output under results/logs/.
See benchmarks/README.md for what each row measures and the caveats.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_corpus  # noqa: E402

RESULTS = HERE / "results"
WORK = RESULTS / "work"  # git-ignored, like the rest of results/
DEFAULT_CORPUS = make_corpus.DEFAULT_OUT
QUICK_SCALE = 0.1
FLAKE8_SHIM = HERE / "flake8_plugins.py"
FINDING_RE = re.compile(r"\b(BFD\d{3})\b")


# ---------------------------------------------------------------------------------------
# measuring one process
# ---------------------------------------------------------------------------------------
class Sample:
    __slots__ = ("wall", "user", "sys", "rss_mb", "rc")

    def __init__(self, wall, user, sys_, rss_mb, rc):
        self.wall, self.user, self.sys, self.rss_mb, self.rc = wall, user, sys_, rss_mb, rc

    def as_dict(self):
        return {"wall": self.wall, "user": self.user, "sys": self.sys, "rss_mb": self.rss_mb, "rc": self.rc}


def run_once(cmd: Sequence[str], cwd: Path, out_path: Optional[Path], timeout: float) -> Sample:
    """Start cmd, reap it with wait4 (its own rusage), time it with perf_counter."""
    out = open(out_path, "wb") if out_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=str(cwd), stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT if out_path else subprocess.DEVNULL,
                                start_new_session=True)
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, ru = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - t0
    finally:
        if out_path:
            out.close()
    rc = os.waitstatus_to_exitcode(status)
    proc.returncode = rc  # reaped here; keep Popen from waiting again
    if time.perf_counter() > deadline and rc < 0:
        rc = 124
    # Linux reports ru_maxrss in KiB (macOS in bytes)
    rss = ru.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Sample(wall, ru.ru_utime, ru.ru_stime, rss, rc)


# ---------------------------------------------------------------------------------------
# rows
# ---------------------------------------------------------------------------------------
class Row:
    def __init__(self, name: str, what: str, cmd: Callable[[], List[str]], cwd: Path,
                 prepare: Optional[Callable[[], None]] = None, slow: bool = False,
                 group: str = "corpus", files: int = 0, runs: Optional[int] = None):
        self.runs = runs
        self.name, self.what, self.cmd, self.cwd = name, what, cmd, cwd
        self.prepare, self.slow, self.group, self.files = prepare, slow, group, files
        self.samples: List[Sample] = []
        self.rounds: List[int] = []
        self.log: Optional[Path] = None
        self.shown_cmd = ""


def tool_cmd(spec: str) -> List[str]:
    return spec.split() if " " in spec else [spec]


def which_tool(name: str) -> Optional[str]:
    return shutil.which(name)


def version_of(cmd: List[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"
    except Exception as exc:  # pragma: no cover - reporting only
        return f"unavailable ({exc.__class__.__name__})"


def nb_to_py(nb_text: str) -> str:
    """The code cells of a notebook as one .py file (IPython magics and shell lines commented out)."""
    nb = json.loads(nb_text)
    chunks = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell.get("source", []))
        lines = []
        for ln in src.split("\n"):
            s = ln.lstrip()
            lines.append(("# " + ln) if s.startswith(("%", "!")) else ln)
        chunks.append("\n".join(lines).rstrip())
    return "\n\n\n".join(chunks) + "\n"


def make_views(corpus: Path, dest: Path) -> Dict[str, object]:
    """notebooks/: every .ipynb of the corpus; notebooks_as_py/: each one's code as a .py twin."""
    if dest.exists():
        shutil.rmtree(dest)
    nb_dir, py_dir, empty = dest / "notebooks", dest / "notebooks_as_py", dest / "empty"
    empty.mkdir(parents=True)
    n = 0
    nb_bytes = py_lines = 0
    for path in sorted(corpus.rglob("*.ipynb")):
        rel = path.relative_to(corpus)
        (nb_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (py_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        (nb_dir / rel).write_text(text, encoding="utf-8")
        py = nb_to_py(text)
        (py_dir / rel.with_suffix(".py")).write_text(py, encoding="utf-8")
        n += 1
        nb_bytes += len(text)
        py_lines += py.count("\n")
    for d in (nb_dir, py_dir):
        d.mkdir(parents=True, exist_ok=True)
        (d / "pyproject.toml").write_text("[tool.bf16lint]\n\n[tool.ruff]\n")
    return {"notebooks": nb_dir, "as_py": py_dir, "empty": empty, "count": n, "nb_bytes": nb_bytes,
            "py_lines": py_lines}


def make_sample(corpus: Path, dest: Path, n: int) -> Dict[str, object]:
    """Every k-th .py file of the corpus (sorted paths), about n in all: input small enough for TorchFix."""
    files = sorted(p for p in corpus.rglob("*.py") if p.is_file())
    step = max(1, len(files) // max(1, n))
    chosen = files[::step][:n]
    lines = 0
    for path in chosen:
        rel = path.relative_to(corpus)
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        (dest / rel).write_bytes(data)
        lines += data.count(b"\n")
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text("[tool.bf16lint]\n\n[tool.ruff]\n")
    return {"dir": dest, "count": len(chosen), "lines": lines}


def count_py(corpus: Path) -> Dict[str, int]:
    files = lines = nbs = 0
    for root, _dirs, names in os.walk(corpus):
        for name in names:
            if name.endswith(".py"):
                files += 1
                with open(os.path.join(root, name), "rb") as fh:
                    lines += fh.read().count(b"\n")
            elif name.endswith(".ipynb"):
                nbs += 1
    return {"py_files": files, "py_lines": lines, "notebooks": nbs}


def ensure_corpus(path: Path, scale: float, seed: int, profile: str, regenerate: bool) -> dict:
    manifest = path / make_corpus.MANIFEST
    want = {"scale": scale, "seed": seed, "profile": profile, "generator_version": make_corpus.GENERATOR_VERSION}
    if manifest.exists() and not regenerate:
        have = json.loads(manifest.read_text())
        if all(have.get(k) == v for k, v in want.items()):
            return have
        print(f"[bench] {path} was generated with other settings; regenerating", file=sys.stderr)
    print(f"[bench] generating corpus (scale {scale}, seed {seed}, profile {profile}) in {path}", file=sys.stderr)
    return make_corpus.generate(path, scale, seed, profile, quiet=True)


# ---------------------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------------------
ALL_ROWS = ["bf16lint", "bf16lint-fix", "bf16lint-j1", "bf16lint-startup", "ruff", "ruff-classic", "ruff-concise", "ruff-e9",
            "ruff-startup", "flake8-bfd", "flake8-bfd-noplugin", "flake8-stock", "flake8-stock-noplugin",
            "torchfix", "nb-bf16lint", "nb-py-bf16lint", "nb-ruff", "nb-py-ruff", "memory"]
DEFAULT_ROWS = [r for r in ALL_ROWS if r not in ("flake8-stock", "flake8-stock-noplugin", "bf16lint-j1")]


def build_rows(args, corpus: Path, tmp: Path, views: Optional[dict], stats: dict) -> List[Row]:
    bf = tool_cmd(args.bf16lint)
    ruff = tool_cmd(args.ruff)
    py = sys.executable
    rows: List[Row] = []
    target = str(corpus)
    nfiles = stats["py_files"] + stats["notebooks"]

    def add(name, what, cmd, cwd=corpus, **kw):
        if name in args.rows:
            rows.append(Row(name, what, cmd, cwd, **kw))

    add("bf16lint", "bf16lint DIR (check)", lambda: bf + [target], files=nfiles)
    fix_copy = tmp / "fix-copy"

    def fresh_copy():
        if fix_copy.exists():
            shutil.rmtree(fix_copy)
        shutil.copytree(corpus, fix_copy)

    add("bf16lint-fix", "bf16lint --fix on a fresh copy (copy not timed)", lambda: bf + ["--fix", str(fix_copy)],
        prepare=fresh_copy, files=nfiles)
    add("bf16lint-j1", "bf16lint -j 1 DIR (one process)", lambda: bf + ["-j", "1", target], files=nfiles)
    if views:
        add("bf16lint-startup", "bf16lint on an empty directory (start-up)", lambda: bf + [str(views["empty"])],
            group="startup")
        add("ruff-startup", "ruff check on an empty directory (start-up)",
            lambda: ruff + ["check", "--no-cache", "--isolated", str(views["empty"])], group="startup")
    add("ruff", "ruff check --no-cache --isolated DIR (ruff's default rules; .py and .ipynb)",
        lambda: ruff + ["check", "--no-cache", "--isolated", target], files=nfiles)
    add("ruff-classic", "ruff check ... --select E4,E7,E9,F (the long-standing default set)",
        lambda: ruff + ["check", "--no-cache", "--isolated", "--select", "E4,E7,E9,F", target], files=nfiles)
    add("ruff-concise", "ruff check ... --output-format concise (default rules, one line a finding)",
        lambda: ruff + ["check", "--no-cache", "--isolated", "--output-format", "concise", target], files=nfiles)
    add("ruff-e9", "ruff check ... --select E9 (syntax errors only: the parse-only floor)",
        lambda: ruff + ["check", "--no-cache", "--isolated", "--select", "E9", target], files=nfiles)
    shim = [py, str(FLAKE8_SHIM)]
    jobs = ["-j", str(args.flake8_jobs)] if args.flake8_jobs else []
    add("flake8-bfd", "flake8 --select BFD DIR, bf16lint plugin installed (all plugins run)",
        lambda: shim + ["--with-bf16lint", "--", "--isolated", "--select", "BFD", *jobs, target], slow=True,
        files=stats["py_files"])
    add("flake8-bfd-noplugin", "the same flake8 command without the BFD plugin",
        lambda: shim + ["--without-bf16lint", "--", "--isolated", "--select", "BFD", *jobs, target], slow=True,
        files=stats["py_files"])
    add("flake8-stock", "flake8 DIR (default selection) with the plugin",
        lambda: shim + ["--with-bf16lint", "--", "--isolated", *jobs, target], slow=True, files=stats["py_files"])
    add("flake8-stock-noplugin", "flake8 DIR (default selection) without the plugin",
        lambda: shim + ["--without-bf16lint", "--", "--isolated", *jobs, target], slow=True,
        files=stats["py_files"])
    if "torchfix" in args.rows:
        tf = tool_cmd(args.torchfix) if args.torchfix else ([which_tool("torchfix")] if which_tool("torchfix") else None)
        if tf:
            sample = make_sample(corpus, tmp / "sample", args.torchfix_files)
            sd, sn = str(sample["dir"]), sample["count"]
            desc = f"a sample of {sn} .py files ({sample['lines']:,} lines)"
            add("torchfix", f"torchfix on {desc} (its default rules)", lambda: tf + [sd], slow=True,
                group="sample", files=sn, runs=args.torchfix_runs)
            rows.append(Row("sample-bf16lint", "bf16lint on the same sample", lambda: bf + [sd], corpus,
                            group="sample", files=sn))
            rows.append(Row("sample-ruff", "ruff check on the same sample",
                            lambda: ruff + ["check", "--no-cache", "--isolated", sd], corpus, group="sample", files=sn))
        else:
            print("[bench] torchfix not found on PATH (or --torchfix): row skipped", file=sys.stderr)
    if views:
        n = views["count"]
        add("nb-bf16lint", f"bf16lint on the corpus's {n} notebooks", lambda: bf + [str(views["notebooks"])],
            group="notebooks", files=n)
        add("nb-py-bf16lint", "bf16lint on the same code as .py (one file per notebook)",
            lambda: bf + [str(views["as_py"])], group="notebooks", files=n)
        add("nb-ruff", "ruff check on the notebooks",
            lambda: ruff + ["check", "--no-cache", "--isolated", str(views["notebooks"])], group="notebooks", files=n)
        add("nb-py-ruff", "ruff check on the same code as .py",
            lambda: ruff + ["check", "--no-cache", "--isolated", str(views["as_py"])], group="notebooks", files=n)
    return rows


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def run_rounds(rows: List[Row], runs: int, slow_runs: int, warmup: int, timeout: float, logs: Path) -> None:
    total = warmup + max([runs, slow_runs] + [r.runs for r in rows if r.runs])
    for rnd in range(total):
        counted = rnd - warmup
        for row in rows:
            limit = row.runs if row.runs else (slow_runs if row.slow else runs)
            if row.slow and rnd < warmup:
                continue  # slow rows: no warm-up round (the fast rows already warmed the page cache)
            if counted >= limit:
                continue
            if row.prepare:
                row.prepare()
            cmd = row.cmd()
            row.shown_cmd = " ".join(cmd)
            log = None
            if row.log is None:
                log = logs / f"{row.name}.txt"
                row.log = log
            t = run_once(cmd, row.cwd, log, timeout)
            tag = "warm-up" if counted < 0 else f"run {counted + 1}/{limit}"
            print(f"[bench] {row.name:22s} {tag:10s} {t.wall:8.2f}s wall {t.user + t.sys:8.2f}s cpu "
                  f"{t.rss_mb:7.0f} MB rc={t.rc}", file=sys.stderr)
            if counted >= 0:
                row.samples.append(t)
                row.rounds.append(counted)


def paired_ratio(row: Row, ref: Optional[Row], cpu: bool = False) -> Optional[float]:
    """Median over rounds of row/ref, pairing the runs of the same round (wall, or user+sys with cpu=True)."""
    if ref is None or not ref.samples or not row.samples:
        return None
    by_round = dict(zip(ref.rounds, ref.samples))

    def val(s):
        return s.user + s.sys if cpu else s.wall

    ratios = [val(s) / val(by_round[r]) for r, s in zip(row.rounds, row.samples)
              if r in by_round and val(by_round[r]) > 0]
    return median(ratios) if ratios else None


def findings_in(log: Optional[Path]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    if log and log.exists():
        for line in log.read_text(errors="replace").splitlines():
            m = FINDING_RE.search(line)
            if m and ":" in line.split(m.group(1))[0]:
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return counts


def memory_check(args, corpus: Path, manifest: Optional[dict], logs: Path) -> Optional[dict]:
    """Peak RSS of bf16lint on the generated corpus at scale s and 2s (same seed and profile)."""
    s1 = QUICK_SCALE if args.quick else 1.0
    out = {}
    bf = tool_cmd(args.bf16lint)
    for mult in (1, 2):
        if (manifest and manifest.get("scale") == s1 * mult and manifest.get("seed") == args.seed
                and manifest.get("profile") == args.profile):
            path, meta = corpus, manifest
        else:
            path = WORK / f"memory-corpus-s{s1 * mult:g}-seed{args.seed}-{args.profile}"
            meta = ensure_corpus(path, s1 * mult, args.seed, args.profile, False)
        samples = []
        for i in range(max(1, min(args.runs, 3))):
            samples.append(run_once(bf + [str(path)], path, logs / f"memory-x{mult}.txt" if i == 0 else None,
                                    args.timeout))
            print(f"[bench] memory x{mult} run {i + 1}: {samples[-1].wall:.2f}s {samples[-1].rss_mb:.0f} MB",
                  file=sys.stderr)
        st = meta["stats"]
        out[f"x{mult}"] = {"scale": s1 * mult, "py_files": st["py_files"], "py_lines": st["py_lines"],
                           "notebooks": st["notebooks"],
                           "rss_mb": median([x.rss_mb for x in samples]), "wall": median([x.wall for x in samples]),
                           "runs": [x.as_dict() for x in samples]}
    return out


# ---------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------
def fmt_s(x):
    return "-" if x is None or x != x else (f"{x:.3f}" if x < 1 else f"{x:.2f}")


def report(args, corpus: Path, stats: dict, manifest: Optional[dict], rows: List[Row], views, mem, env) -> str:
    by = {r.name: r for r in rows}
    ruff = by.get("ruff")
    L: List[str] = []
    L.append(f"# bf16lint benchmark ({env['date']})")
    L.append("")
    L.append(f"- machine: {env['machine']}; load average at start {env['load']}")
    L.append(f"- tools: {env['tools']}")
    corpus_desc = f"`{env['corpus_label']}`: {stats['py_files']} .py files ({stats['py_lines']:,} lines), " \
                  f"{stats['notebooks']} notebooks"
    if manifest:
        ms = manifest["stats"]
        corpus_desc += (f"; generated by make_corpus.py scale {manifest['scale']} seed {manifest['seed']} "
                        f"profile {manifest['profile']}; bf16 mention in {ms['bf16_files']} .py files "
                        f"({100 * ms['bf16_files'] / max(1, ms['py_files']):.1f}%, "
                        f"{100 * ms['bf16_lines'] / max(1, ms['py_lines']):.0f}% of lines), bf16 and a backbone "
                        f"loader in {ms['bf16_and_backbone_files']} ({100 * ms['bf16_and_backbone_files'] / max(1, ms['py_files']):.1f}%)")
    L.append(f"- corpus: {corpus_desc}")
    L.append(f"- runs: {args.runs} per row ({args.slow_runs} for flake8/TorchFix rows), {args.warmup} warm-up round; "
             f"rows interleaved round by round; medians; ratio = median of per-round ratios to `ruff`")
    L.append("")
    L.append("| row | what | wall s (median) | min-max | cpu s | peak RSS MB | x ruff (same input) | exit |")
    L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        if not r.samples:
            continue
        walls = [s.wall for s in r.samples]
        cpu = median([s.user + s.sys for s in r.samples])
        rss = median([s.rss_mb for s in r.samples])
        ref = {"bf16lint-startup": "ruff-startup", "nb-bf16lint": "nb-ruff", "nb-py-bf16lint": "nb-py-ruff",
               "torchfix": "sample-ruff", "sample-bf16lint": "sample-ruff"}.get(
            r.name, "ruff" if r.group == "corpus" else None)
        ratio = paired_ratio(r, by.get(ref)) if ref else None
        rcs = sorted({s.rc for s in r.samples})
        L.append(f"| `{r.name}` | {r.what} | {fmt_s(median(walls))} | {fmt_s(min(walls))}-{fmt_s(max(walls))} | "
                 f"{fmt_s(cpu)} | {rss:.0f} | {('%.2f' % ratio) if ratio else '-'} | {','.join(map(str, rcs))} |")
    L.append("")

    # targets
    L.append("## Targets (issue 6)")
    L.append("")
    L.append("Verdicts use wall-clock ratios; cpu ratios (user+sys, workers included) are steadier on a busy machine."
             + (" Quick mode: a small corpus where start-up dominates, so these verdicts are not meaningful."
                if args.quick else ""))
    L.append("")
    L.append("| target | measured | verdict |")
    L.append("| --- | --- | --- |")

    def verdict(ok, miss):
        return "met" if ok else f"missed ({miss})"

    if "bf16lint" in by and ruff and by["bf16lint"].samples and ruff.samples:
        rt = paired_ratio(by["bf16lint"], ruff)
        L.append(f"| bf16lint no slower than `ruff check` (default rules) | {rt:.2f}x ruff "
                 f"({fmt_s(median([s.wall for s in by['bf16lint'].samples]))} s vs {fmt_s(median([s.wall for s in ruff.samples]))} s); "
                 f"cpu {paired_ratio(by['bf16lint'], ruff, cpu=True):.2f}x | "
                 f"{verdict(rt <= 1.0, f'{(rt - 1) * 100:.0f}% slower')} |")
    for a, b, label in (("flake8-bfd", "flake8-bfd-noplugin", "flake8 --select BFD"),
                        ("flake8-stock", "flake8-stock-noplugin", "flake8 (default selection)")):
        if a in by and b in by and by[a].samples and by[b].samples:
            rt = paired_ratio(by[a], by[b])
            L.append(f"| {label}: with the plugin within 5% of without | {rt:.3f}x "
                     f"({fmt_s(median([s.wall for s in by[a].samples]))} s vs {fmt_s(median([s.wall for s in by[b].samples]))} s); "
                     f"cpu {paired_ratio(by[a], by[b], cpu=True):.3f}x | "
                     f"{verdict(rt <= 1.05, f'+{(rt - 1) * 100:.1f}%')} |")
    if "bf16lint-fix" in by and "bf16lint" in by and by["bf16lint-fix"].samples and by["bf16lint"].samples:
        rt = paired_ratio(by["bf16lint-fix"], by["bf16lint"])
        fixes = findings_in(by["bf16lint"].log)
        L.append(f"| `--fix` at most 1.5x a check when fixes are few | {rt:.2f}x check "
                 f"({sum(fixes.values())} findings); cpu {paired_ratio(by['bf16lint-fix'], by['bf16lint'], cpu=True):.2f}x | "
                 f"{verdict(rt <= 1.5, f'{rt:.2f}x')} |")
    if mem:
        a, b = mem["x1"], mem["x2"]
        rt = b["rss_mb"] / a["rss_mb"] if a["rss_mb"] else float("nan")
        L.append(f"| peak memory flat as the corpus grows | scale {a['scale']:g}: {a['rss_mb']:.0f} MB "
                 f"({a['py_files']} .py, {a['wall']:.2f} s); scale {b['scale']:g}: {b['rss_mb']:.0f} MB "
                 f"({b['py_files']} .py, {b['wall']:.2f} s); {rt:.2f}x | {verdict(rt <= 1.15, f'{rt:.2f}x')} |")
    if views and "nb-bf16lint" in by and "nb-py-bf16lint" in by and by["nb-bf16lint"].samples and by["nb-py-bf16lint"].samples:
        n = views["count"]
        nb = median([s.wall for s in by["nb-bf16lint"].samples])
        pyw = median([s.wall for s in by["nb-py-bf16lint"].samples])
        start = median([s.wall for s in by["bf16lint-startup"].samples]) if "bf16lint-startup" in by and by["bf16lint-startup"].samples else 0.0
        raw = paired_ratio(by["nb-bf16lint"], by["nb-py-bf16lint"])
        net = (nb - start) / (pyw - start) if pyw - start > 1e-3 else float("nan")
        L.append(f"| per-notebook cost within 2x of the same code as .py | {1000 * (nb - start) / n:.2f} ms vs "
                 f"{1000 * (pyw - start) / n:.2f} ms per file net of start-up ({start:.2f} s): {net:.2f}x "
                 f"(whole process {raw:.2f}x) | {verdict(net <= 2.0, f'{net:.2f}x')} |")
        if "nb-ruff" in by and "nb-py-ruff" in by and by["nb-ruff"].samples and by["nb-py-ruff"].samples:
            rr = paired_ratio(by["nb-ruff"], by["nb-py-ruff"])
            L.append(f"| (reference) ruff notebooks vs the same code as .py | {rr:.2f}x whole process | - |")
    if "torchfix" in by and by["torchfix"].samples and "sample-bf16lint" in by and by["sample-bf16lint"].samples:
        tfw = median([x.wall for x in by["torchfix"].samples])
        sbw = median([x.wall for x in by["sample-bf16lint"].samples])
        L.append(f"| (reference) TorchFix vs bf16lint on the {by['torchfix'].files}-file sample | "
                 f"{tfw:.1f} s vs {sbw:.2f} s ({tfw / sbw:.0f}x) | - |")
    L.append("")

    # findings sanity
    if "bf16lint" in by and by["bf16lint"].log:
        counts = findings_in(by["bf16lint"].log)
        line = f"bf16lint findings on the corpus: {sum(counts.values())} " + \
               ("(" + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + ")" if counts else "")
        if manifest:
            planted: Dict[str, int] = {}
            for p in manifest["planted"]:
                planted[p["label"]] = planted.get(p["label"], 0) + 1
            line += "; planted by the generator: " + ", ".join(f"{k}: {v}" for k, v in sorted(planted.items()))
        L.append(line + ".")
        if "flake8-bfd" in by and by["flake8-bfd"].log:
            fc = findings_in(by["flake8-bfd"].log)
            L.append(f"flake8 --select BFD findings: {sum(fc.values())} (notebooks are not seen by flake8).")
        L.append("")
    L.append("Row commands:")
    L.append("")
    for r in rows:
        if r.shown_cmd:
            L.append(f"- `{r.name}`: `{r.shown_cmd}`")
    L.append("")
    return "\n".join(L)


def env_info(args, corpus_label: str) -> dict:
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    mem_gb = "?"
    try:
        with open("/proc/meminfo") as fh:
            mem_gb = f"{int(fh.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    tools = [f"Python {platform.python_version()}",
             version_of(tool_cmd(args.bf16lint) + ["--version"]),
             version_of(tool_cmd(args.ruff) + ["--version"]),
             "flake8 " + version_of([sys.executable, str(FLAKE8_SHIM), "--with-bf16lint", "--", "--version"])]
    return {"date": _dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "machine": f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}), {mem_gb}",
            "load": load, "tools": "; ".join(tools), "corpus_label": corpus_label}


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", nargs="?", type=Path, help="directory to benchmark (default: the generated corpus)")
    ap.add_argument("--runs", type=int, default=5, help="counted runs per row (default 5)")
    ap.add_argument("--slow-runs", type=int, default=3, help="counted runs for flake8/TorchFix rows (default 3)")
    ap.add_argument("--warmup", type=int, default=1, help="warm-up rounds, not counted (default 1)")
    ap.add_argument("--quick", action="store_true",
                    help=f"smoke check: corpus at scale {QUICK_SCALE}, 1 run, no warm-up")
    ap.add_argument("--only", default="", help=f"comma-separated rows; all: {','.join(ALL_ROWS)}")
    ap.add_argument("--all", action="store_true", help="also the optional rows (flake8-stock*, bf16lint-j1)")
    ap.add_argument("--scale", type=float, default=1.0, help="scale of the generated corpus (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", choices=sorted(make_corpus.PROFILES), default="default")
    ap.add_argument("--regenerate", action="store_true", help="regenerate the corpus even if present")
    ap.add_argument("--bf16lint", default="bf16lint", help="bf16lint command (default: bf16lint)")
    ap.add_argument("--ruff", default="ruff", help="ruff command (default: ruff)")
    ap.add_argument("--torchfix", default="", help="TorchFix command (default: torchfix if on PATH)")
    ap.add_argument("--torchfix-files", type=int, default=100,
                    help="TorchFix runs on a sample of this many .py files (default 100; it takes ~1 s a file)")
    ap.add_argument("--torchfix-runs", type=int, default=1, help="counted TorchFix runs (default 1)")
    ap.add_argument("--flake8-jobs", default="", help="flake8 -j value (default: flake8's own, auto)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per process before it is killed")
    ap.add_argument("--no-save", action="store_true", help="print only; write nothing under results/")
    args = ap.parse_args(argv)

    if args.quick:
        args.runs = 1 if args.runs == 5 else args.runs
        args.slow_runs = min(args.slow_runs, args.runs)
        args.warmup = 0
    rows = [r.strip() for r in args.only.split(",") if r.strip()] if args.only else (ALL_ROWS if args.all else DEFAULT_ROWS)
    unknown = [r for r in rows if r not in ALL_ROWS]
    if unknown:
        ap.error(f"unknown rows {unknown}; choose from {ALL_ROWS}")
    args.rows = rows
    if shutil.which(tool_cmd(args.ruff)[0]) is None:
        ap.error("ruff is not on PATH (give --ruff)")

    manifest = None
    if args.dir is not None:
        corpus = args.dir.resolve()
        if not corpus.is_dir():
            ap.error(f"{corpus} is not a directory")
        mf = corpus / make_corpus.MANIFEST
        manifest = json.loads(mf.read_text()) if mf.exists() else None
        label = str(args.dir)
    elif args.quick:
        corpus = WORK / f"quick-corpus-s{QUICK_SCALE:g}-seed{args.seed}-{args.profile}"
        manifest = ensure_corpus(corpus, QUICK_SCALE, args.seed, args.profile, args.regenerate)
        label = "quick corpus"
    elif (args.scale, args.seed, args.profile) == (1.0, 0, "default"):
        corpus = DEFAULT_CORPUS
        manifest = ensure_corpus(corpus, args.scale, args.seed, args.profile, args.regenerate)
        label = "benchmarks/corpus"
    else:  # other settings get their own directory, so the default corpus is not regenerated back and forth
        corpus = WORK / f"corpus-s{args.scale:g}-seed{args.seed}-{args.profile}"
        manifest = ensure_corpus(corpus, args.scale, args.seed, args.profile, args.regenerate)
        label = f"generated corpus (profile {args.profile}, scale {args.scale:g}, seed {args.seed})"
    stats = count_py(corpus)

    logs = RESULTS / "logs" if not args.no_save else Path(tempfile.mkdtemp(prefix="bf16lint-bench-logs-"))
    logs.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bf16lint-bench-"))
    try:
        need_views = any(r.startswith("nb-") or r.endswith("-startup") for r in rows)
        views = make_views(corpus, tmp / "views") if need_views else None
        env = env_info(args, label)
        table_rows = build_rows(args, corpus, tmp, views, stats)
        print(f"[bench] {stats['py_files']} .py files, {stats['py_lines']:,} lines, {stats['notebooks']} notebooks; "
              f"rows: {', '.join(r.name for r in table_rows)}", file=sys.stderr)
        run_rounds(table_rows, args.runs, args.slow_runs, args.warmup, args.timeout, logs)
        mem = memory_check(args, corpus, manifest, logs) if "memory" in rows else None
        text = report(args, corpus, stats, manifest, table_rows, views, mem, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(text)
    if not args.no_save:
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        (RESULTS / f"{stamp}.md").write_text(text + "\n")
        (RESULTS / "latest.md").write_text(text + "\n")
        raw = {"env": env, "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
               "corpus": str(corpus), "stats": stats, "manifest_stats": manifest["stats"] if manifest else None,
               "rows": {r.name: {"what": r.what, "cmd": r.shown_cmd, "runs": [s.as_dict() for s in r.samples]}
                        for r in table_rows},
               "memory": mem}
        (RESULTS / f"{stamp}.json").write_text(json.dumps(raw, indent=1) + "\n")
        print(f"[bench] wrote {RESULTS / (stamp + '.md')} (and latest.md, {stamp}.json, logs/)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
