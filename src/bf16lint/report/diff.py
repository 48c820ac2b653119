"""``--diff``: what ``--fix`` would change, as unified diffs.

Scripts get one ordinary diff headed ``--- path`` / ``+++ path``. Notebooks get one diff
per changed code cell, headed ``--- path:cell N`` / ``+++ path:cell N`` (N 1-based over
all cells, as in every other position), separated by a blank line, like ruff.

Notebook cells are shown as the user wrote them, magics included: the old source is
read from ``document.raw`` and the new one from ``document.render(new_texts)``. When
that cannot be done (a document without raw bytes, a render that fails) the diff falls
back to the unit texts, where IPython syntax is masked.
"""
from __future__ import annotations

import difflib
import json
import re
from typing import Dict, List, Optional, Tuple

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _split(text: str) -> List[str]:
    return _LINES.findall(text)


def _diff(old: str, new: str, name: str) -> str:
    out = []
    for line in difflib.unified_diff(_split(old), _split(new), fromfile=name, tofile=name):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _notebook_sources(document: object, new_texts: Dict[int, str]) -> Optional[Dict[int, Tuple[str, str]]]:
    """{cell number: (old source, new source)} with magics intact, or None."""
    try:
        raw = getattr(document, "raw", None)
        if not isinstance(raw, (bytes, bytearray, str)):
            return None
        old_cells = json.loads(raw)["cells"]
        rendered = document.render(new_texts)  # type: ignore[attr-defined]
        new_cells = json.loads(rendered)["cells"]
        if len(old_cells) != len(new_cells):
            return None
        return {
            n: (_cell_source(old), _cell_source(new))
            for n, (old, new) in enumerate(zip(old_cells, new_cells), start=1)
        }
    except Exception:
        return None


def unified_diff(document: object, new_texts: Dict[int, str]) -> str:
    """The diff between the document's units and ``new_texts`` ({unit index: new text}).

    Returns "" when nothing changes.
    """
    units = list(getattr(document, "units", None) or ())
    path = getattr(document, "path", "")
    changed = []
    for index in sorted(new_texts):
        if not 0 <= index < len(units):
            continue
        unit = units[index]
        if new_texts[index] != unit.text:
            changed.append((unit, new_texts[index]))
    if not changed:
        return ""

    notebook = getattr(document, "kind", None) == "notebook" or any(u.cell is not None for u, _ in changed)
    if not notebook:
        return "".join(_diff(unit.text, new, path) for unit, new in changed)

    sources = _notebook_sources(document, new_texts)
    parts = []
    for unit, new in changed:
        old_text, new_text = unit.text, new
        if sources is not None and unit.cell in sources:
            old_src, new_src = sources[unit.cell]
            if old_src != new_src:
                old_text, new_text = old_src, new_src
        diff = _diff(old_text, new_text, f"{path}:cell {unit.cell}")
        if diff:
            parts.append(diff)
    return "\n".join(parts)
