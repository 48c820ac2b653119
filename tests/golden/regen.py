"""Rewrite tests/golden/findings.json from the current engine: `python tests/golden/regen.py`.
`--refresh-sample` first rewrites the frozen generated sample from oracle.generator;
`--label-sample` records the oracle's label of each sampled program in its manifest (needs
torch) and writes nothing else.

Review every change it makes (see tests/golden/README.md) before committing it."""
from __future__ import annotations

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from golden_lint import collect, label_sample, refresh_sample  # noqa: E402

GOLDEN = HERE / "findings.json"


def render(entries) -> str:
    # One entry per line: diffs of the golden file read finding by finding.
    lines = [json.dumps(entry, sort_keys=True) for entry in entries]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--refresh-sample" in argv:
        print(f"sampled {refresh_sample()} generated programs")
    if "--refresh-sample" in argv or "--label-sample" in argv:
        print(f"labelled {label_sample()} generated programs with the oracle")
    if "--label-sample" in argv:
        return 0  # labels are review evidence; the goldens stay as they are
    entries = collect()
    GOLDEN.write_text(render(entries), encoding="utf-8")
    print(f"wrote {len(entries)} entries to {GOLDEN.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
