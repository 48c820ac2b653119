"""The pieces a generated program is assembled from, before any layout decides files.

A program is: top-level definitions (classes, helpers), tagged by what they are about so the
project layout can put them in data.py or models/backbone.py; then four statement sections
(config, data, model, run) that run in that order, in a script's module body, a `main()`, or
notebook cells.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple


@dataclass
class Chunk:
    kind: str  # "data" | "model" | "util": which project module would hold it
    text: str  # one top-level definition, no trailing newline
    imports: Set[str]
    names: Tuple[str, ...]  # the names it defines


@dataclass
class Parts:
    rng: random.Random
    names: Dict[str, str]
    imports: Set[str] = field(default_factory=set)  # for the statement sections
    defs: List[Chunk] = field(default_factory=list)
    config: List[str] = field(default_factory=list)
    data: List[str] = field(default_factory=list)
    model: List[str] = field(default_factory=list)
    run: List[str] = field(default_factory=list)
    argv: List[str] = field(default_factory=list)
    env: Dict[str, str] = field(default_factory=dict)
    flag: Optional[str] = None  # an expression true when bf16 is on
    flag_on: bool = True
    dtype: Optional[str] = None  # the dtype expression the data is cast with
    precision: Optional[str] = None  # an expression holding a precision string ("bf16")
    size: int = 32
    bf16: bool = False  # does the data become bf16 on the default run

    def add(self, kind: str, text: str, imports=(), names=()) -> None:
        self.defs.append(Chunk(kind, text.strip("\n"), set(imports), tuple(names)))

    def pick(self, *options):
        return self.rng.choice(options)


def indent(lines: List[str], by: int = 1) -> List[str]:
    pad = "    " * by
    return [pad + line if line.strip() else line for line in lines]


def block(header: str, body: List[str]) -> List[str]:
    return [header] + indent(body)


def render_imports(imports) -> str:
    """Plain imports first, then `from` imports merged per module (isort-like)."""
    plain = sorted(i for i in imports if i.startswith("import "))
    merged: Dict[str, Set[str]] = {}
    for line in imports:
        if line.startswith("from "):
            module, _, names = line[5:].partition(" import ")
            merged.setdefault(module, set()).update(n.strip() for n in names.split(","))
    froms = [f"from {m} import {', '.join(sorted(ns))}" for m, ns in sorted(merged.items())]
    stdlib = [i for i in plain if i.split()[1].split(".")[0] in STDLIB]
    third = [i for i in plain if i not in stdlib]
    std_from = [f for f in froms if f.split()[1].split(".")[0] in STDLIB]
    third_from = [f for f in froms if f not in std_from]
    groups = [stdlib + std_from, third + third_from]
    return "\n\n".join("\n".join(g) for g in groups if g)


STDLIB = {"argparse", "copy", "contextlib", "dataclasses", "functools", "os", "sys", "types", "typing", "math", "json"}
