"""What changed between two files, line by line, for the byte-preservation tests."""

from __future__ import annotations

import difflib
from typing import List, Tuple


def changed_lines(old: bytes, new: bytes) -> Tuple[List[str], List[str]]:
    """(removed, added) lines between two UTF-8 files, as difflib aligns them."""
    old_lines = old.decode("utf-8").splitlines(True)
    new_lines = new.decode("utf-8").splitlines(True)
    removed, added = [], []
    for tag, old_start, old_end, new_start, new_end in difflib.SequenceMatcher(
        None, old_lines, new_lines
    ).get_opcodes():
        if tag != "equal":
            removed.extend(old_lines[old_start:old_end])
            added.extend(new_lines[new_start:new_end])
    return removed, added
