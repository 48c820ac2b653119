"""A program generator for the oracle: realistic training and evaluation programs drawn
from a grammar whose axes come from RULES.md and SHAPES.md (bf16 source, flag, data,
transport, protection, sink, form, mode, style, layout). It never labels a program: labels
come only from running it (oracle.label_programs)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import List, Mapping, Sequence

from ..program import Program
from . import layouts
from .compose import build, draw

LAYOUTS = ("script", "notebook", "project")


@dataclass(frozen=True)
class GeneratedProgram:
    program: Program
    axes: Mapping[str, str]


def generate_one(index: int, seed: int = 0, layouts_: Sequence[str] = ("script", "notebook")) -> GeneratedProgram:
    # One generator per program, seeded by (seed, index): program i never depends on n.
    rng = random.Random(f"bf16lint-generator:{seed}:{index}")
    layout = rng.choice(list(layouts_))
    axes = draw(rng, layout)
    parts = build(axes, rng)
    if layout == "notebook":
        files, entry = layouts.notebook(parts, rng.choice(("notebook.ipynb", "notebooks/explore.ipynb", "eval_features.ipynb")))
    elif layout == "project":
        files, entry = layouts.project(parts, axes["style"])
    else:
        files, entry = layouts.script(parts, axes["style"], rng.choice(("train.py", "extract.py", "evaluate.py", "scripts/run_eval.py")))
    program = Program(files=files, entry=entry, argv=tuple(parts.argv), env=dict(parts.env), name=f"gen-{seed}-{index}")
    return GeneratedProgram(program, dict(axes))


def generate(n: int, seed: int = 0, layouts: Sequence[str] = ("script", "notebook")) -> List[GeneratedProgram]:
    """Deterministic for (n, seed, layouts); program i is the same whatever n is."""
    unknown = set(layouts) - set(LAYOUTS)
    if unknown:
        raise ValueError(f"unknown layouts: {sorted(unknown)}")
    return [generate_one(i, seed, tuple(layouts)) for i in range(n)]
