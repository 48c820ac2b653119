"""A Python script as one code unit: bytes decoded as Python decodes them, and back.

Decoding follows PEP 263 and 3120 (UTF-8 BOM, a coding cookie in the first two lines,
UTF-8 otherwise) through tokenize.detect_encoding. Line endings are never normalised:
the unit's text holds CRLF, CR or mixed breaks exactly as on disk, so rendering an
unchanged text gives the original bytes back.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize
from collections import Counter
from typing import Dict, Optional

from ..findings import Location
from ._files import line_of_offset, read_file_bytes
from .base import LINE_BREAK, CodeUnit, Document, DocumentError


class PythonDocument(Document):
    kind = "python"

    def __init__(self, path: str, raw: bytes, text: str, encoding: str):
        self.path = path
        self.raw = raw
        self.encoding = encoding  # a codecs name; "utf-8-sig" when the file has a BOM
        self.units = [CodeUnit(index=0, text=text, start_line=1, newline=_dominant_newline(text))]
        self.notes = []

    @classmethod
    def from_bytes(cls, path: str, data: Optional[bytes] = None) -> "PythonDocument":
        if data is None:
            data = read_file_bytes(path)
        if b"\0" in data:
            line = line_of_offset(data, data.index(b"\0"))
            raise DocumentError(path, f"contains a null byte (line {line}): a binary file, not Python source")
        encoding = _detect_encoding(path, data)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            line = line_of_offset(data, error.start)
            bad = data[error.start : error.start + 1].hex()
            hint = "binary file, or a missing coding cookie?"
            raise DocumentError(
                path, f"cannot be decoded as {encoding}: byte 0x{bad} on line {line} ({hint})"
            ) from None
        return cls(path, data, text, encoding)

    @property
    def text(self) -> str:
        return self.units[0].text

    def location(self, line: int, col: int) -> Location:
        return Location(row=line, column=col + 1)

    def raw_line(self, line: int) -> Optional[int]:
        return line

    def render(self, new_texts: Dict[int, str]) -> bytes:
        unknown = set(new_texts) - {0}
        if unknown:
            raise DocumentError(self.path, f"a script has one unit (0), not {sorted(unknown)}")
        new_text = new_texts.get(0, self.text)
        if new_text == self.text:
            return self.raw
        # A codec whose decode/encode is not a bijection on this file would change bytes
        # the fix never touched (UTF-8 always is one): such a file is never written.
        if self.encoding not in ("utf-8", "utf-8-sig") and _encode(self.text, self.encoding) != self.raw:
            raise DocumentError(
                self.path,
                f"not written: encoding {self.encoding} does not round-trip this file byte for byte",
            )
        try:
            return _encode(new_text, self.encoding)
        except UnicodeEncodeError as error:
            bad = new_text[error.start : error.end]
            raise DocumentError(
                self.path, f"the fixed text has {bad!r}, which {self.encoding} cannot encode"
            ) from None


def _detect_encoding(path: str, data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if "invalid or missing" not in error.msg:  # an unknown codec, or a cookie against the BOM
            raise DocumentError(path, f"bad encoding declaration: {error.msg}") from None
        # detect_encoding gives up on a first line that is not UTF-8; Python reads such a
        # line's cookie from the raw bytes, and without one the decode below says what is wrong.
        encoding = _cookie_in_bytes(data) or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DocumentError(path, f"unknown encoding {encoding!r}") from None
    return encoding


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def _cookie_in_bytes(data: bytes) -> Optional[str]:
    for line in data.splitlines()[:2]:
        match = _COOKIE.match(line)
        if match:
            return match.group(1).decode("ascii")
    return None


def _encode(text: str, encoding: str) -> bytes:
    # The utf-8-sig codec writes the BOM back; every other codec writes no BOM.
    return text.encode(encoding)


def _dominant_newline(text: str) -> str:
    counts = Counter(LINE_BREAK.findall(text))
    if not counts:
        return "\n"
    return counts.most_common(1)[0][0]
