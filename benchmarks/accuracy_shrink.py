"""Shrink a program while a predicate (a disagreement between bf16lint and the oracle) holds.

Deletes statements (at any depth; an emptied block keeps a `pass`) and notebook cells.
Each round tries every single deletion of every program still shrinking, in one batch (the
oracle labels a batch in parallel), then tries all successful deletions of a program at
once; the combination is kept when it still holds, else the largest single deletion."""
from __future__ import annotations

import ast
import json
import random
import time
from dataclasses import dataclass, replace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

Key = Tuple[str, Optional[int]]  # (file, notebook cell index or None)
Edit = Tuple[Key, int, int, str]  # delete lines [start, end) of a unit, put `replacement` there; end < 0: drop the cell


@dataclass
class Shape:
    """A program as deletable units: each .py file, each notebook cell."""
    program: object
    units: Dict[Key, str]
    cell_types: Dict[Key, str]


def shape_of(program) -> Shape:
    units: Dict[Key, str] = {}
    types: Dict[Key, str] = {}
    for path, text in program.files.items():
        if path.endswith(".ipynb"):
            for i, cell in enumerate(json.loads(text)["cells"]):
                source = cell.get("source", "")
                units[(path, i)] = "".join(source) if isinstance(source, list) else source
                types[(path, i)] = cell.get("cell_type", "code")
        elif path.endswith(".py"):
            units[(path, None)] = text
    return Shape(program, units, types)


def render(shape: Shape, units: Dict[Key, Optional[str]]):
    files = dict(shape.program.files)
    notebooks: Dict[str, List] = {}
    for (path, cell), text in sorted(units.items(), key=lambda kv: (kv[0][0], -1 if kv[0][1] is None else kv[0][1])):
        if cell is None:
            files[path] = text
        elif text is not None:
            lines = text.split("\n")
            source = [line + "\n" for line in lines[:-1]] + [lines[-1]]
            entry = {"cell_type": shape.cell_types[(path, cell)], "metadata": {}, "source": source}
            if entry["cell_type"] == "code":
                entry.update(execution_count=None, outputs=[])
            notebooks.setdefault(path, []).append(entry)
        else:
            notebooks.setdefault(path, [])
    for path, cells in notebooks.items():
        data = json.loads(shape.program.files[path])
        data["cells"] = cells
        files[path] = json.dumps(data, indent=1) + "\n"
    return replace(shape.program, files=files)


def _parse(text: str) -> Optional[ast.Module]:
    masked = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in text.split("\n"))
    try:
        return ast.parse(masked)
    except SyntaxError:
        return None


def _bodies(node):
    for name in ("body", "orelse", "finalbody"):
        body = getattr(node, name, None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            yield body
    for handler in getattr(node, "handlers", []) or []:
        yield handler.body


def deletions(key: Key, text: str, cell_type: str = "code") -> List[Edit]:
    edits: List[Edit] = []
    if key[1] is not None:
        edits.append((key, 0, -1, ""))  # the whole cell
        if cell_type != "code":
            return edits
    tree = _parse(text)
    if tree is None:
        return edits
    lines = text.split("\n")

    def visit(body):
        for stmt in body:
            start = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])]) - 1
            end = stmt.end_lineno
            if len(body) > 1:
                edits.append((key, start, end, None))
            elif not isinstance(stmt, ast.Pass) and body is not tree.body:
                pad = lines[stmt.lineno - 1][: len(lines[stmt.lineno - 1]) - len(lines[stmt.lineno - 1].lstrip())]
                edits.append((key, start, end, pad + "pass"))
            for inner in _bodies(stmt):
                visit(inner)

    visit(tree.body)
    return edits


def apply(shape: Shape, units: Dict[Key, Optional[str]], edits: Sequence[Edit]) -> Optional[Dict[Key, Optional[str]]]:
    new = dict(units)
    by_key: Dict[Key, List[Edit]] = {}
    for edit in edits:
        by_key.setdefault(edit[0], []).append(edit)
    for key, group in by_key.items():
        if any(e[2] < 0 for e in group):
            new[key] = None
            continue
        if new[key] is None:
            return None
        lines = new[key].split("\n")
        last = None
        for _, start, end, repl in sorted(group, key=lambda e: -e[1]):
            if last is not None and end > last:
                return None  # overlapping
            lines[start:end] = [] if repl is None else [repl]
            last = start
        text = "\n".join(lines)
        if key[1] is None or shape.cell_types.get(key) == "code":
            if _parse(text) is None:
                return None
        new[key] = text
    return new


def _size(edit: Edit, units) -> int:
    if edit[2] < 0:
        return len((units[edit[0]] or "").split("\n")) + 1
    return edit[2] - edit[1]


def shrink_all(programs: Sequence, holds: Callable[[List, List[int]], List[bool]], budget_s: float,
               max_rounds: int = 8, max_edits: int = 60) -> List:
    """Shrink every program while ``holds(candidates, owners)`` (owners: the index of the
    program each candidate comes from) says its disagreement holds. Returns the programs."""
    shapes = [shape_of(p) for p in programs]
    states: List[Dict[Key, Optional[str]]] = [dict(s.units) for s in shapes]
    active = list(range(len(programs)))
    deadline = time.monotonic() + budget_s
    per_candidate = 0.15  # seconds; re-measured after each batch
    for _ in range(max_rounds):
        left = deadline - time.monotonic()
        if not active or left <= 0:
            break
        # Largest deletions first, as many as the time left allows (half of it per round).
        cap = max(3, min(max_edits, int(left / 2 / per_candidate / len(active))))
        cands, owners, edits_of = [], [], []
        for i in active:
            edits = [e for key, text in states[i].items() if text is not None
                     for e in deletions(key, text, shapes[i].cell_types.get(key, "code"))]
            edits.sort(key=lambda e: -_size(e, states[i]))
            if len(edits) > cap:  # the largest half, and a seeded spread over the rest
                head = edits[: cap // 2]
                rest = edits[cap // 2:]
                edits = head + random.Random(f"{i}:{len(rest)}").sample(rest, cap - len(head))
            for edit in edits:
                new = apply(shapes[i], states[i], [edit])
                if new is not None:
                    cands.append(render(shapes[i], new))
                    owners.append(i)
                    edits_of.append(edit)
        if not cands:
            break
        began = time.monotonic()
        ok = holds(cands, owners)
        per_candidate = max(0.02, (time.monotonic() - began) / len(cands))
        wins: Dict[int, List[Edit]] = {}
        for i, edit, good in zip(owners, edits_of, ok):
            if good:
                wins.setdefault(i, []).append(edit)
        combos, combo_owner, combo_state = [], [], {}
        for i, edits in wins.items():
            if len(edits) > 1:
                chosen, taken = [], []
                for e in sorted(edits, key=lambda e: -_size(e, states[i])):
                    span = (e[0], e[1], e[2] if e[2] >= 0 else 10 ** 9)
                    if any(s[0] == span[0] and not (span[2] <= s[1] or s[2] <= span[1]) for s in taken):
                        continue
                    if any(s[0] == span[0] and (s[2] == 10 ** 9 or span[2] == 10 ** 9) for s in taken):
                        continue
                    chosen.append(e)
                    taken.append(span)
                new = apply(shapes[i], states[i], chosen) if len(chosen) > 1 else None
                if new is not None:
                    combos.append(render(shapes[i], new))
                    combo_owner.append(i)
                    combo_state[i] = new
        combo_ok = dict(zip(combo_owner, holds(combos, combo_owner))) if combos else {}
        still = []
        for i in active:
            if i not in wins:
                continue
            if combo_ok.get(i):
                states[i] = combo_state[i]
            else:
                best = max(wins[i], key=lambda e: _size(e, states[i]))
                states[i] = apply(shapes[i], states[i], [best])
            still.append(i)
        active = still
    return [render(shapes[i], states[i]) for i in range(len(programs))]
