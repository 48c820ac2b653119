"""Scripts in every shape Python accepts are read, fixed and written back in their own
encoding, line endings and indentation: the only bytes that change are the fix's."""
from __future__ import annotations

import time

import pytest
from reliability_helpers import BUGGY, EVIDENCE, FIXED

INSERTED = "    images = images.float()"


def fix_one(tree, cli, name: str, data: bytes):
    path = tree / name
    path.write_bytes(data)
    run = cli("--fix", name)
    assert run.code == 0, run.text
    assert "1 fixed" in run.text
    return path.read_bytes()


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "iso-8859-15"])
def test_pep263_cookie_file_is_fixed_and_written_back_in_its_encoding(tree, cli, encoding):
    head = f"# -*- coding: {encoding} -*-\n# température moyenne en °C, façade\n"
    tail = "label = 'déjà vu'\n"
    data = (head + BUGGY + tail).encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8
    (tree / "t.py").write_bytes(data)
    check = cli("t.py")
    assert check.code == 1 and "BFD001" in check.text
    assert fix_one(tree, cli, "t.py", data) == (head + FIXED + tail).encode(encoding)


def test_cookie_on_line_two_after_a_shebang(tree, cli):
    head = "#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\n# é\n"
    data = (head + BUGGY).encode("latin-1")
    assert fix_one(tree, cli, "t.py", data) == (head + FIXED).encode("latin-1")


def test_shift_jis_cookie(tree, cli):
    head = "# coding: shift_jis\n# 画像をbf16で読み込む\n"
    data = (head + BUGGY).encode("shift_jis")
    assert fix_one(tree, cli, "t.py", data) == (head + FIXED).encode("shift_jis")


def test_utf8_bom_is_kept(tree, cli):
    data = b"\xef\xbb\xbf" + ("# é\n" + BUGGY).encode()
    assert fix_one(tree, cli, "t.py", data) == b"\xef\xbb\xbf" + ("# é\n" + FIXED).encode()


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_uniform_line_endings_are_kept_and_used_for_the_new_line(tree, cli, newline):
    data = BUGGY.replace("\n", newline).encode()
    assert fix_one(tree, cli, "t.py", data) == FIXED.replace("\n", newline).encode()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mixed_line_endings_are_kept(tree, cli, seed):
    import random

    rng = random.Random(seed)
    endings = [rng.choice(["\n", "\r\n"]) for _ in BUGGY.splitlines()]
    data = "".join(line + end for line, end in zip(BUGGY.splitlines(), endings))
    new = fix_one(tree, cli, "t.py", data.encode()).decode()
    new_lines = new.splitlines(keepends=True)
    inserted = [i for i, line in enumerate(new_lines) if line.rstrip("\r\n") == INSERTED]
    assert len(inserted) == 1
    # Every original line keeps its own ending; the new line ends like the one above it.
    assert "".join(new_lines[: inserted[0]] + new_lines[inserted[0] + 1 :]) == data
    new_end = new_lines[inserted[0]][len(INSERTED):]
    assert new_end == new_lines[inserted[0] - 1][len(new_lines[inserted[0] - 1].rstrip("\r\n")):]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings_kept_on_the_libcst_path(tree, cli, newline):
    """Two statements on one line take the libcst path (a cast in place); libcst drops
    the last line break of a CR-only file, which must come back."""
    source = (
        "import torch\nimport timm\n"
        'model = timm.create_model("vit_base_patch16_224", pretrained=True)\n'
        "img = img.to(torch.bfloat16)\n\n\ndef step(x):\n"
        "    img2 = img.cuda(); out = model(img2)\n    return out\n"
    )
    expected = source.replace("model(img2)", "model(img2.float())")
    data = source.replace("\n", newline).encode()
    assert fix_one(tree, cli, "t.py", data) == expected.replace("\n", newline).encode()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("end", ["", "\n", "\n\n", "\n# done\n\n"], ids=["no-break", "break", "blank", "comment-blank"])
def test_trailing_blank_lines_kept_on_the_libcst_path(tree, cli, newline, end):
    """A file that ends in blank lines keeps every one of them through the libcst path.
    libcst does not count a final bare CR as a line break; once a fixed CR file lost its
    last line, a blank `\\r` (found by test_documents_keep_line_endings_and_indentation)."""
    source = (
        "import torch\nimport timm\n"
        'model = timm.create_model("vit_base_patch16_224", pretrained=True)\n'
        "img = img.to(torch.bfloat16)\n\n\ndef step(x):\n"
        "\timg2 = img.cuda(); out = model(img2)\n\treturn out" + end
    )
    expected = source.replace("model(img2)", "model(img2.float())")
    data = source.replace("\n", newline).encode()
    assert fix_one(tree, cli, "t.py", data) == expected.replace("\n", newline).encode()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_notebook_cell_with_cr_endings_keeps_its_blank_last_line(newline):
    """A cell is fixed like a script: on the libcst path a cell written with CR line
    endings once lost its blank last line too."""
    import json

    from reliability_helpers import code_cell, notebook, notebook_bytes

    from bf16lint.documents import load_document
    from bf16lint.engine import LintOptions, fix_document

    source = (
        "import torch\nimport timm\n"
        'model = timm.create_model("vit_base_patch16_224", pretrained=True)\n'
        "x = torch.randn(2).to(torch.bfloat16)\nfor b in loader:\n\ty = x.cuda(); out = model(y)\n\n"
    )
    expected = source.replace("model(y)", "model(y.float())").replace("\n", newline)
    doc = load_document("nb.ipynb", notebook_bytes(notebook([code_cell(source.replace("\n", newline), 0)])))
    new_bytes = fix_document(doc, LintOptions())[1]
    assert "".join(json.loads(new_bytes)["cells"][0]["source"]) == expected


@pytest.mark.parametrize(
    "placement, anchor, new_line",
    [("after", (3, 4), "    x = x.float()\r\n"), ("before", (4, 4), "    x = x.float()\r"),
     ("body_start", (2, 0), "    x = x.float()\r\n")],
)
def test_both_fix_paths_end_an_inserted_line_like_its_anchor(placement, anchor, new_line):
    """In a file with mixed endings the lean path (lines.py) and libcst (transform.py)
    insert the same line: it ends like the anchor's line, not like the file's first line
    (libcst's default)."""
    from bf16lint.findings import FixPlan
    from bf16lint.fixes.lines import insert_casts
    from bf16lint.fixes.transform import apply

    lines = ["import torch\n", "for x in loader:\r", "    x = x.cuda()\r\n", "    out = model(x)\r", "print(out)\n"]
    plan = FixPlan(kind="insert_cast", applicability="safe", title="cast", target="x", anchor=anchor,
                   placement=placement)
    at = {"after": 3, "before": 3, "body_start": 2}[placement]
    expected = "".join(lines[:at] + [new_line] + lines[at:])
    assert insert_casts("".join(lines), [(plan, 0)]) == expected
    assert apply("".join(lines), [(plan, 0)]) == expected


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_wrap_import_and_trailing_blank_lines_keep_the_line_endings(tree, cli, newline):
    """--fix-style wrap inserts an import through libcst: it ends like the file's lines,
    and the blank lines at the end of the file stay."""
    source = (
        "import torch\nimport timm\n"
        'model = timm.create_model("vit_base_patch16_224", pretrained=True)\n'
        "img = torch.randn(1, 3, 224, 224).to(torch.bfloat16)\nout = model(img)\n\n"
    )
    expected = source.replace(
        "import timm\n", "import timm\nfrom bf16lint.runtime import float32_inputs\n"
    ).replace("model = timm.create_model(", "model = float32_inputs(timm.create_model(").replace(
        "pretrained=True)\n", "pretrained=True))\n")
    path = tree / "t.py"
    path.write_bytes(source.replace("\n", newline).encode())
    run = cli("--fix", "--fix-style", "wrap", "t.py")
    assert run.code == 0, run.text
    assert path.read_bytes() == expected.replace("\n", newline).encode()


def test_tab_indentation_is_kept(tree, cli):
    data = BUGGY.replace("    ", "\t").encode()
    assert fix_one(tree, cli, "t.py", data) == FIXED.replace("    ", "\t").encode()


def test_no_final_newline(tree, cli):
    data = (BUGGY + "print(scores)").encode()
    assert fix_one(tree, cli, "t.py", data) == (FIXED + "print(scores)").encode()


def test_form_feeds_are_kept_and_not_copied(tree, cli):
    """A form feed on its own line (a page break) and one before a statement: both stay
    where they are, and the inserted line does not get one."""
    source = BUGGY.replace("\n\n\nmodel =", "\n\x0c\n\nmodel =").replace(
        "    images = images.cuda()\n", "\x0c    images = images.cuda()\n"
    )
    expected = source.replace(
        "\x0c    images = images.cuda()\n", "\x0c    images = images.cuda()\n" + INSERTED + "\n"
    )
    assert fix_one(tree, cli, "t.py", source.encode()) == expected.encode()


def test_form_feed_where_libcst_would_move_it_is_refused(tree, cli):
    """An unsafe fix goes through libcst, which would move a form feed that precedes a
    statement: the fix is not applied, the file stays untouched, the finding is still
    reported (exit 1) and a note gives the reason."""
    source = (
        "import torch\nimport timm\n\n"
        'model = timm.create_model("vit_base_patch16_224", pretrained=True).cuda()\n\n\n'
        "def run(loader):\n    for images, labels in loader:\n"
        "        images = images.cuda().to(torch.bfloat16)\n"
        "\x0c        out = model(images)\n"
    )
    (tree / "t.py").write_text(source)
    run = cli("--fix", "--unsafe-fixes", "t.py")
    assert run.code == 1
    assert "t.py: note: fix not applied: libcst cannot reproduce this code byte for byte" in run.out
    assert "BFD001" in run.out
    assert (tree / "t.py").read_text() == source
    # Without the form feed the same fix is applied.
    (tree / "u.py").write_text(source.replace("\x0c", ""))
    assert cli("--fix", "--unsafe-fixes", "u.py").code == 0
    expected = source.replace("\x0c", "").replace(".to(torch.bfloat16)", ".to(torch.float32)")
    assert (tree / "u.py").read_text() == expected


@pytest.mark.parametrize("content", [b"", b"\n", b"   \n\n", EVIDENCE.encode(), b"\xef\xbb\xbf"])
def test_empty_and_trivial_scripts(tree, cli, content):
    (tree / "empty.py").write_bytes(content)
    for args in (("empty.py",), ("--fix", "empty.py"), ("--diff", "empty.py"), (".",)):
        run = cli(*args)
        assert run.code == 0, (args, run.text)
    assert (tree / "empty.py").read_bytes() == content


def test_long_elif_chain_and_long_sum_are_analysed_and_fixed(tree, cli):
    """Python compiles these fine; the analysis and the fixer recurse deeper than the
    default recursion limit on them, so they run again on a deeper stack."""
    chain = "def pick(k):\n    if k == 0:\n        return 0\n" + "".join(
        f"    elif k == {i}:\n        return {i}\n" for i in range(1, 400)
    )
    total = "z = " + " + ".join(["1"] * 600) + "\n"
    tail = "\n\n" + chain + "\n\n" + total
    (tree / "t.py").write_text(BUGGY + tail)
    check = cli("t.py")
    assert check.code == 1 and "BFD001" in check.text, check.text
    assert cli("--fix", "t.py").code == 0
    assert (tree / "t.py").read_text() == FIXED + tail


def _generated_module(target_bytes: int, evidence: bool) -> str:
    block = "".join(
        f"def helper_{{n}}_{i}(a, b):\n    c = a * {i} + b\n    return [c, c + 1, {{{{'k': c}}}}]\n\n\n"
        for i in range(200)
    )
    parts = [BUGGY + "\n\n"] if evidence else ["import os\n\n\n"]
    size = len(parts[0])
    n = 0
    while size < target_bytes:
        chunk = block.format(n=n)
        parts.append(chunk)
        size += len(chunk)
        n += 1
    return "".join(parts)


def test_20mb_file_without_evidence_is_skipped_quickly(tree, cli):
    text = _generated_module(20 * 1024 * 1024, evidence=False)
    (tree / "big.py").write_text(text)
    started = time.perf_counter()
    run = cli("--fix", "big.py")
    elapsed = time.perf_counter() - started
    assert run.code == 0, run.text
    assert elapsed < 10, f"{elapsed:.1f}s"
    assert (tree / "big.py").read_text() == text


# The 20 MB check (~1 min, ~4.8 GB peak) and a 2 MB fix are timed by
# benchmarks/large_file.py: too heavy for the test suite.
@pytest.mark.parametrize("megabytes", [0.125], ids=["128kb"])
def test_large_file_with_evidence_is_fixed(tree, cli, megabytes):
    text = _generated_module(int(megabytes * 1024 * 1024), evidence=True)
    (tree / "big.py").write_text(text)
    started = time.perf_counter()
    run = cli("--fix", "big.py")
    elapsed = time.perf_counter() - started
    assert run.code == 0, run.text
    assert (tree / "big.py").read_text() == text.replace(BUGGY, FIXED, 1)
    assert elapsed < 120, f"{elapsed:.1f}s"
