"""Time and peak memory of bf16lint on one very large generated script (moved here from the
test suite: a 20 MB file with bf16 evidence takes ~1 minute and ~4.8 GB of RSS, mostly in
ast.parse, which is too heavy for `pytest`).

    python benchmarks/large_file.py            # 20 MB check, then a 2 MB --fix
    python benchmarks/large_file.py --mb 5

Prints wall time and the child's peak RSS for each run; exits 1 if a run fails.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUGGY = (
    "import torch\n\n"
    "model = torch.hub.load('facebookresearch/dinov2', 'dinov2_vits14')\n"
    "def run(loader):\n"
    "    for images in loader:\n"
    "        images = images.cuda().to(torch.bfloat16)\n"
    "        out = model(images)\n"
)
BLOCK = "".join(
    f"def helper_{{n}}_{i}(a, b):\n    c = a * {i} + b\n    return [c, c + 1, {{{{'k': c}}}}]\n\n\n"
    for i in range(200)
)


def generated_module(target_bytes: int) -> str:
    parts, size, n = [BUGGY + "\n\n"], len(BUGGY) + 2, 0
    while size < target_bytes:
        chunk = BLOCK.format(n=n)
        parts.append(chunk)
        size += len(chunk)
        n += 1
    return "".join(parts)


def timed(args, cwd) -> tuple:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bf16lint", *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
    return done, elapsed, peak_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20, help="size of the checked file (default 20)")
    parser.add_argument("--fix-mb", type=float, default=2, help="size of the fixed file (default 2)")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp, "big.py")
        big.write_text(generated_module(int(args.mb * 1024 * 1024)))
        done, elapsed, peak = timed(["--output-format", "concise", "big.py"], tmp)
        ok = done.returncode == 1 and "BFD001" in done.stdout
        failed |= not ok
        print(f"check {args.mb:g} MB: {elapsed:.1f} s, peak RSS {peak:.0f} MB, {'ok' if ok else 'FAILED'}")
        big.write_text(generated_module(int(args.fix_mb * 1024 * 1024)))
        done, elapsed, peak = timed(["--fix", "big.py"], tmp)
        ok = done.returncode == 0 and "images = images.float()" in big.read_text()
        failed |= not ok
        print(f"fix {args.fix_mb:g} MB: {elapsed:.1f} s, peak RSS so far {peak:.0f} MB, {'ok' if ok else 'FAILED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
