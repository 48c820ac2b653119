"""What every document offers the engine: code units in, new bytes out.

A *unit* is a piece of Python that parses on its own: a whole script, or one code cell
of a notebook with its IPython syntax masked. The analysis sees the units laid end to
end as one virtual module (a notebook runs its cells in order, as a kernel would), so
each unit carries the virtual line its first line lands on.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from ..findings import Location

# Python's own line breaks (compile() and tokenize accept all three); str.splitlines would
# also split on form feeds and \u2028, which Python keeps inside a line.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class DocumentError(Exception):
    """A file that cannot be read, decoded, parsed as a notebook, or written back."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class CodeUnit:
    index: int  # position in Document.units
    text: str  # Python source the analysis parses (magics masked, same length per line)
    start_line: int  # virtual line number of the unit's first line (1-based)
    cell: Optional[int] = None  # 1-based cell number over all cells; None for scripts
    cell_id: Optional[str] = None
    # 0-based lines of `text` that hold masked IPython syntax: a fix must leave them alone.
    masked_lines: Tuple[int, ...] = ()
    # The line break a fix should use for lines it inserts (a script's own, "\n" in cells).
    newline: str = "\n"

    @property
    def line_count(self) -> int:
        """Lines the unit occupies in the virtual module; a last line without a line break
        counts, an empty text occupies none. Unit k+1 starts at unit k's start_line plus
        its line_count (see Document.virtual_source)."""
        breaks = len(LINE_BREAK.findall(self.text))
        return breaks + (0 if ends_with_line_break(self.text) or not self.text else 1)


def ends_with_line_break(text: str) -> bool:
    return text.endswith(("\n", "\r"))


class Document:
    """Base class; documents/python.py and documents/notebook.py implement it."""

    path: str
    kind: str  # "python" | "notebook"
    raw: bytes  # the bytes read from disk, compared again before writing
    units: List[CodeUnit]
    notes: List[str]  # non-fatal: cells skipped and why ("cell 4: R magic %%R, skipped")

    def unit_at(self, line: int) -> Optional[CodeUnit]:
        """The unit holding a virtual line (None outside every unit)."""
        starts = self._unit_starts()
        # bisect_right picks the last unit starting at or before the line; an empty unit
        # shares its start with the next one, which then wins.
        position = bisect.bisect_right(starts, line) - 1
        if position >= 0:
            unit = self.units[position]
            if line < unit.start_line + unit.line_count:
                return unit
        return None

    def _unit_starts(self) -> List[int]:
        # Units are fixed once a document is built; the list is rebuilt only if they change.
        cached: Optional[List[int]] = getattr(self, "_starts_cache", None)
        if cached is None or len(cached) != len(self.units):
            cached = [unit.start_line for unit in self.units]
            self._starts_cache = cached
        return cached

    def virtual_source(self) -> str:
        """The units laid end to end, as the analysis parses them: a line break is added
        after a unit whose text lacks one (except the last), so virtual line numbers are
        exactly each unit's start_line plus its line offset."""
        parts = []
        last = len(self.units) - 1
        for position, unit in enumerate(self.units):
            parts.append(unit.text)
            if position < last and unit.text and not ends_with_line_break(unit.text):
                parts.append("\n")
        return "".join(parts)

    def location(self, line: int, col: int) -> Location:
        """Map a virtual (1-based line, 0-based col) to what a user reads (1-based both)."""
        raise NotImplementedError

    def render(self, new_texts: Dict[int, str]) -> bytes:
        """The file's bytes with the given units' texts replaced (masked text in, magics
        restored out); everything else byte-identical."""
        raise NotImplementedError

    def raw_line(self, line: int) -> Optional[int]:
        """For github/sarif output: the 1-based line of the file on disk that stores the
        given virtual line (inside the .ipynb JSON for notebooks)."""
        raise NotImplementedError
