from __future__ import annotations

import codecs

import pytest

from bf16lint.documents import DocumentError, load_document
from bf16lint.documents.python import PythonDocument
from bf16lint.findings import Location


def test_one_unit_at_line_one():
    doc = PythonDocument.from_bytes("train.py", b"import torch\nx = torch.ones(2)\n")
    assert doc.kind == "python"
    [unit] = doc.units
    assert (unit.index, unit.start_line, unit.cell, unit.cell_id) == (0, 1, None, None)
    assert unit.text == "import torch\nx = torch.ones(2)\n"
    assert unit.line_count == 2
    assert doc.virtual_source() == unit.text


def test_reads_the_file_when_no_data_given(tmp_path):
    path = tmp_path / "train.py"
    path.write_bytes(b"x = 1\n")
    doc = load_document(str(path))
    assert isinstance(doc, PythonDocument)
    assert doc.raw == b"x = 1\n"


def test_location_and_raw_line():
    doc = PythonDocument.from_bytes("t.py", b"a = 1\nb = 2\n")
    assert doc.location(2, 4) == Location(row=2, column=5)
    assert doc.raw_line(2) == 2
    assert doc.unit_at(2) is doc.units[0]
    assert doc.unit_at(3) is None


@pytest.mark.parametrize(
    "data",
    [
        b"import torch\r\nx = 1\r\n",  # CRLF
        b"import torch\r\nx = 1\ny = 2\rz = 3",  # mixed, no final newline
        codecs.BOM_UTF8 + b"# caf\xc3\xa9\nx = 1\n",  # UTF-8 BOM
        b"# -*- coding: latin-1 -*-\ns = '\xe9t\xe9'\n",  # PEP 263 cookie
        b"\tif x:\n\x0c\tpass\n",  # tabs and a form feed
        b"",  # empty
    ],
)
def test_unchanged_round_trip_is_byte_identical(data):
    doc = PythonDocument.from_bytes("t.py", data)
    assert doc.render({}) == data
    assert doc.render({0: doc.units[0].text}) == data


def test_crlf_kept_in_text_and_edits():
    data = b"import torch\r\nx = torch.ones(2)\r\n"
    doc = PythonDocument.from_bytes("t.py", data)
    assert doc.units[0].text == "import torch\r\nx = torch.ones(2)\r\n"
    assert doc.units[0].newline == "\r\n"
    new = doc.units[0].text + "x = x.float()\r\n"
    assert doc.render({0: new}) == data + b"x = x.float()\r\n"


def test_mixed_line_endings_count_as_python_counts_them():
    doc = PythonDocument.from_bytes("t.py", b"a = 1\r\nb = 2\rc = 3\nd = 4")
    assert doc.units[0].line_count == 4


def test_bom_is_kept_on_write():
    data = codecs.BOM_UTF8 + b"x = 1\n"
    doc = PythonDocument.from_bytes("t.py", data)
    assert doc.units[0].text == "x = 1\n"  # the analysis never sees the BOM
    assert doc.render({0: "x = 2\n"}) == codecs.BOM_UTF8 + b"x = 2\n"


def test_latin1_cookie_read_and_written_in_its_encoding():
    data = b"# -*- coding: latin-1 -*-\nlabel = 'caf\xe9'\n"
    doc = PythonDocument.from_bytes("t.py", data)
    assert "café" in doc.units[0].text
    out = doc.render({0: doc.units[0].text + "x = 1\n"})
    assert out == data + b"x = 1\n"


def test_character_the_encoding_cannot_hold_is_refused():
    doc = PythonDocument.from_bytes("t.py", b"# coding: latin-1\nx = 1\n")
    with pytest.raises(DocumentError, match="cannot encode"):
        doc.render({0: "# coding: latin-1\nx = '\u2603'\n"})


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"x = 1\n\x00\x01\x02", "null byte"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "null byte"),
        (b"s = '\xff\xfe'\n", "cannot be decoded as utf-8"),
        (b"# coding: no-such-codec\nx = 1\n", "encoding"),
        (codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n", "encoding"),
    ],
)
def test_bad_bytes_raise_a_clear_error(data, reason):
    with pytest.raises(DocumentError, match=reason) as caught:
        PythonDocument.from_bytes("bad.py", data)
    assert caught.value.path == "bad.py"
    assert str(caught.value).startswith("bad.py: ")


def test_undecodable_byte_names_its_line():
    with pytest.raises(DocumentError, match="line 2"):
        PythonDocument.from_bytes("bad.py", b"x = 1\ns = '\xff'\n")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        load_document(str(tmp_path / "missing.py"))
    (tmp_path / "x.py").mkdir()
    with pytest.raises(DocumentError, match="directory"):
        load_document(str(tmp_path / "x.py"))


def test_only_unit_zero_exists():
    doc = PythonDocument.from_bytes("t.py", b"x = 1\n")
    with pytest.raises(DocumentError):
        doc.render({1: "y = 2\n"})
