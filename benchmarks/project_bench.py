"""Project mode's cost: a one-file run inside a generated N-module project, and the peak
memory of whole-project runs as the tree grows.

    python benchmarks/project_bench.py [--modules 1000] [--sizes 250 500 1000] [--repeat 5]

The project: a src layout package of N modules that import each other (each imports up to
three earlier ones, a few re-export through __init__.py), a dataset module that caches bf16
images, a wrapper around a torch.hub backbone, and train.py that imports them. Each run is
a fresh `python -m bf16lint` process, as a user or pre-commit would start it; the time
includes interpreter start-up, which is measured apart (`python -c pass` and `bf16lint` on
an empty file) so the project's own share is visible. bf16lint runs with its bytecode
cached (as installed), and once more without (every source compiled at start-up, as under
PYTHONDONTWRITEBYTECODE=1). Peak memory is the child's max RSS.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

DATA = '''import torch
from torch.utils.data import Dataset

from {pkg}.mod_0001 import helper_0001


class Cached(Dataset):
    def __init__(self, n, use_bf16=True):
        images = torch.rand(n, 3, 224, 224)
        if use_bf16:
            images = images.to(torch.bfloat16)
        self.images = images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return {{"image": helper_0001(self.images[i])}}
'''
BACKBONE = '''import torch
import torch.nn as nn


class Wrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.hub.load("facebookresearch/dinov2", "dinov2_vits14")

    def forward(self, x):
        return self.net(x)
'''
TRAIN = '''import torch
from torch.utils.data import DataLoader

from {pkg}.data import Cached
from {pkg}.models.backbone import Wrapper
{extra}

def main():
    model = Wrapper().cuda()
    for batch in DataLoader(Cached(8), batch_size=2):
        images = batch["image"].cuda()
        print(model(images))


main()
'''


def module_text(pkg: str, index: int, rng: random.Random) -> str:
    imports = sorted({rng.randrange(1, index) for _ in range(min(3, index - 1))}) if index > 1 else []
    lines = ["import os", "import torch", ""]
    lines += [f"from {pkg}.mod_{i:04d} import helper_{i:04d}" for i in imports]
    lines += ["", f"SCALE_{index} = {index}", "", "",
              f"def helper_{index:04d}(x):",
              "    return x",
              "", "",
              f"class Thing{index}:",
              "    def __init__(self, size=3):",
              "        self.size = size",
              "        self.path = os.path.join('a', 'b')",
              "",
              "    def run(self, x):",
              f"        return helper_{index:04d}(x) * SCALE_{index}",
              ""]
    return "\n".join(lines)


def make_project(root: str, modules: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    pkg = "proj"
    base = os.path.join(root, "src", pkg)
    os.makedirs(os.path.join(base, "models"))
    with open(os.path.join(root, "pyproject.toml"), "w") as handle:
        handle.write('[project]\nname = "proj"\nversion = "0"\n')
    with open(os.path.join(base, "__init__.py"), "w") as handle:
        handle.write("".join(f"from .mod_{i:04d} import Thing{i}\n" for i in range(1, min(modules, 20) + 1)))
    open(os.path.join(base, "models", "__init__.py"), "w").close()
    for index in range(1, modules + 1):
        with open(os.path.join(base, f"mod_{index:04d}.py"), "w") as handle:
            handle.write(module_text(pkg, index, rng))
    with open(os.path.join(base, "data.py"), "w") as handle:
        handle.write(DATA.format(pkg=pkg))
    with open(os.path.join(base, "models", "backbone.py"), "w") as handle:
        handle.write(BACKBONE)
    extra = "\n".join(f"from {pkg}.mod_{i:04d} import Thing{i}" for i in rng.sample(range(1, modules + 1), 5))
    with open(os.path.join(root, "train.py"), "w") as handle:
        handle.write(TRAIN.format(pkg=pkg, extra=extra))
    return os.path.join(root, "train.py")


def run(args, cwd, env=None):
    """(wall seconds, CPU seconds, max RSS in MiB, stdout) of one fresh process. The CPU
    time is the honest number on a shared machine; the wall time is what a user waits."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # ru_maxrss of children is the largest so far: the sizes run in growing order.
    return elapsed, cpu, after.ru_maxrss / 1024, proc.stdout


def median_run(args, cwd, repeat, env=None):
    runs = [run(args, cwd, env) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[-1][3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "one")
        os.makedirs(root)
        make_project(root, args.modules)
        empty = os.path.join(root, "empty.py")
        open(empty, "w").close()
        train = ["-m", "bf16lint", "--output-format", "concise", "train.py"]
        # An installed package has its bytecode cached; PYTHONDONTWRITEBYTECODE (set on some
        # machines, CI images among them) makes every run compile bf16lint's sources again.
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pycache")
        run(train, root, cached)  # writes the cache
        compiled = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        rows = [
            ("python -c pass", median_run(["-c", "pass"], root, args.repeat)),
            ("bf16lint empty.py", median_run(["-m", "bf16lint", "empty.py"], root, args.repeat, cached)),
            ("bf16lint train.py", median_run(train, root, args.repeat, cached)),
            ("  the same, no bytecode cache", median_run(train, root, args.repeat, compiled)),
        ]
        reported = [line for line in rows[2][1][2].splitlines() if "BFD" in line]
        print(f"# project mode, one-file run inside a {args.modules}-module project ({args.repeat} runs, median)")
        print(f"{'command':28s} {'wall':>8s} {'cpu':>8s}")
        for name, (wall, cpu, _) in rows:
            print(f"{name:28s} {wall:7.3f}s {cpu:7.3f}s")
        print(f"({len(reported)} finding(s) in train.py)")
        for line in reported:
            print("   ", line[:160])
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
        from bf16lint.documents import load_document
        from bf16lint.engine import LintOptions, lint_document
        from bf16lint.project import forget_indexes, index_for

        here = os.getcwd()
        os.chdir(root)
        try:
            timings = []
            for _ in range(args.repeat):
                forget_indexes()
                started = time.perf_counter()
                lint_document(load_document("train.py"), LintOptions())
                timings.append(time.perf_counter() - started)
            read = len(index_for("train.py").modules)
        finally:
            os.chdir(here)
        print(f"in-process lint of train.py (fresh index): {statistics.median(timings):.3f} s, "
              f"{read} of {args.modules + 3} modules read")
        print()
        print("# whole-project runs (`bf16lint .`, -j 1): time and peak memory as the tree grows")
        for size in sorted(args.sizes):
            tree = os.path.join(tmp, f"size-{size}")
            os.makedirs(tree)
            make_project(tree, size)
            seconds, cpu, peak, out = run(["-m", "bf16lint", "-j", "1", "--output-format", "concise", "."], tree)
            count = sum(1 for line in out.splitlines() if "BFD" in line)
            print(f"{size:5d} modules  {seconds:6.2f} s wall  {cpu:6.2f} s cpu  peak RSS {peak:6.1f} MiB"
                  f"  ({count} finding(s))")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
