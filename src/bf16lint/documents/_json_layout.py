"""Where each cell's ``source`` sits in a notebook's raw JSON, and how to rewrite it there.

A small scanner walks the JSON text (the C-accelerated json scanner skips every value
it does not care about) and records the exact character span of each cell's ``source``
value, and of every string in it when it is a list. A changed source is re-serialized
in the file's own style and spliced into that span, so nothing else moves by a byte.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from json.decoder import scanstring
from typing import Callable, List, Optional, Tuple

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
# \uXXXX escapes of non-ASCII characters (an even run of backslashes before them is text).
_ESCAPED_NON_ASCII = re.compile(r"(?<!\\)(?:\\\\)*\\u(?!00[0-7])[0-9a-fA-F]{4}")


class LayoutError(Exception):
    """The raw text does not have the structure json.loads found (should not happen)."""


@dataclass
class SourceSpan:
    key_start: int  # offset of the opening quote of the "source" key
    start: int  # offset of the value's first character ('[' or '"')
    end: int  # offset just past the value
    items: Optional[List[Tuple[int, int]]]  # spans of the list's strings; None for a string


def find_source_spans(text: str) -> List[Optional[SourceSpan]]:
    """One entry per cell, in order: the span of its "source" value (None if it has none)."""
    spans: List[Optional[SourceSpan]] = []

    def visit_top(key: str, key_start: int, pos: int) -> int:
        if key != "cells" or not text.startswith("[", pos):
            return _skip_value(text, pos)
        spans.clear()  # a repeated key: json.loads keeps the last one, so do we
        return _walk_array(text, pos, visit_cell)

    def visit_cell(index: int, pos: int) -> int:
        spans.append(None)
        if not text.startswith("{", pos):
            return _skip_value(text, pos)

        def visit_member(key: str, key_start: int, value_pos: int) -> int:
            if key != "source":
                return _skip_value(text, value_pos)
            if text.startswith("[", value_pos):
                items: List[Tuple[int, int]] = []
                end = _walk_array(text, value_pos, lambda _, item_pos: _record_string(text, item_pos, items))
                spans[-1] = SourceSpan(key_start, value_pos, end, items)
            else:
                spans[-1] = SourceSpan(key_start, value_pos, _skip_value(text, value_pos), None)
            return spans[-1].end

        return _walk_object(text, pos, visit_member)

    _walk_object(text, _skip_whitespace(text, 0), visit_top)
    return spans


@dataclass
class Style:
    """How the file writes JSON, read from the file itself."""

    ensure_ascii: bool  # non-ASCII written as \uXXXX escapes (json.dumps' default)
    item_separator: str  # between items of a one-line list: ", " (json.dumps) or ","


def detect_style(text: str) -> Style:
    # nbformat writes raw UTF-8 (ensure_ascii=False): the default when the file shows neither.
    ensure_ascii = text.isascii() and "\\u" in text and _ESCAPED_NON_ASCII.search(text) is not None
    compact_without_spaces = re.match(r'\s*\{\s*"(?:[^"\\]|\\.)*":(?!\s)', text) is not None
    return Style(ensure_ascii, "," if compact_without_spaces else ", ")


def render_source(text: str, span: SourceSpan, old_value, new_source: str, style: Style) -> str:
    """The JSON text for a cell's new source, in the layout its old source used."""
    if span.items is None:
        return json.dumps(new_source, ensure_ascii=style.ensure_ascii)
    old_items = list(old_value)
    new_items = _split_like(old_items, new_source)
    if not new_items:
        return "[]"
    raw_items = [text[start:end] for start, end in span.items]
    pieces: List[str] = []
    matcher = difflib.SequenceMatcher(None, old_items, new_items, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            pieces.extend(raw_items[old_start:old_end])  # unchanged lines keep their bytes
        else:
            pieces.extend(
                json.dumps(item, ensure_ascii=style.ensure_ascii) for item in new_items[new_start:new_end]
            )
    opening, separator, closing = _list_layout(text, span, style)
    return "[" + opening + separator.join(pieces) + closing + "]"


def _list_layout(text: str, span: SourceSpan, style: Style) -> Tuple[str, str, str]:
    """The whitespace after '[', between items (with the comma) and before ']', as the
    old list had them (a cell with a unit is never empty, so the list has an item)."""
    items = span.items or []
    if not items:
        return "", style.item_separator, ""
    opening = text[span.start + 1 : items[0][0]]
    closing = text[items[-1][1] : span.end - 1]
    if len(items) >= 2:
        separator = text[items[0][1] : items[1][0]]
    elif "\n" in opening:
        separator = "," + opening  # one item per line, as nbformat and Colab write lists
    else:
        separator = style.item_separator
    return opening, separator, closing


def _split_like(old_items: List[str], source: str) -> List[str]:
    """Split a new source into list items the way the old list was split."""
    if not source:
        return []
    if len(old_items) == 1 and len(old_items[0].splitlines(True)) > 1:
        return [source]  # the whole source was stored as one string in a list
    joined = "".join(old_items)
    if joined.splitlines(True) != old_items and _split_after_newline(joined) == old_items:
        return _split_after_newline(source)
    return source.splitlines(True)  # what nbformat and Jupyter write


def _split_after_newline(text: str) -> List[str]:
    return re.findall(r"[^\n]*\n|[^\n]+\Z", text)


# --------------------------------------------------------------------------- scanner


def _skip_whitespace(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()


def _expect(text: str, pos: int, char: str) -> int:
    if not text.startswith(char, pos):
        raise LayoutError(f"expected {char!r} at offset {pos}")
    return pos + 1


def _skip_value(text: str, pos: int) -> int:
    try:
        return _DECODER.raw_decode(text, pos)[1]
    except ValueError as error:
        raise LayoutError(str(error)) from None


def _record_string(text: str, pos: int, spans: List[Tuple[int, int]]) -> int:
    if not text.startswith('"', pos):
        raise LayoutError(f"expected a string at offset {pos}")
    end = scanstring(text, pos + 1)[1]
    spans.append((pos, end))
    return end


def _walk_object(text: str, pos: int, visit: Callable[[str, int, int], int]) -> int:
    """Walk an object's members; visit(key, key_start, value_start) returns the value's end."""
    pos = _skip_whitespace(text, _expect(text, pos, "{"))
    if text.startswith("}", pos):
        return pos + 1
    while True:
        key_start = pos
        if not text.startswith('"', pos):
            raise LayoutError(f"expected a key at offset {pos}")
        key, pos = scanstring(text, pos + 1)
        pos = _skip_whitespace(text, _expect(text, _skip_whitespace(text, pos), ":"))
        pos = _skip_whitespace(text, visit(key, key_start, pos))
        if text.startswith(",", pos):
            pos = _skip_whitespace(text, pos + 1)
            continue
        return _expect(text, pos, "}")


def _walk_array(text: str, pos: int, visit: Callable[[int, int], int]) -> int:
    """Walk an array's values; visit(index, value_start) returns the value's end."""
    pos = _skip_whitespace(text, _expect(text, pos, "["))
    if text.startswith("]", pos):
        return pos + 1
    index = 0
    while True:
        pos = _skip_whitespace(text, visit(index, pos))
        index += 1
        if text.startswith(",", pos):
            pos = _skip_whitespace(text, pos + 1)
            continue
        return _expect(text, pos, "]")
