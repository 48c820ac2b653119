"""Scripts that cannot be analysed: each gets a clear message naming the file and the
reason, exit code 2, its bytes untouched, and the other files in the same run are still
linted and fixed. The evidence comment makes the byte prefilter let each file through."""
from __future__ import annotations

import re

import pytest
from reliability_helpers import BUGGY, EVIDENCE, FIXED, assert_no_traceback, cli_subprocess

E = EVIDENCE.encode()

BAD_SCRIPTS = {
    "syntax_error": (E + b"def broken(:\n    pass\n", r"syntax error at line 2"),
    "python2_print": (E + b'print "hello"\n', r"syntax error at line 2: Missing parentheses in call to 'print'"),
    "python2_except": (E + b"try:\n    pass\nexcept ValueError, e:\n    pass\n", r"syntax error at line 4"),
    "null_byte": (E + b"x = 1\x00\ny = 2\n", r"contains a null byte \(line 2\)"),
    "binary_png": (b"\x89PNG\r\n\x1a\n\xff\xd8\xfe" + E + b"\x00\x01", r"null byte|cannot be decoded"),
    "not_utf8_without_cookie": (E + "s = 'café'\n".encode("latin-1"), r"cannot be decoded as utf-8: byte 0xe9 on line 2"),
    "unknown_cookie": (b"# -*- coding: klingon -*-\n" + E, r"unknown encoding|bad encoding declaration"),
    "bom_with_other_cookie": (b"\xef\xbb\xbf# coding: latin-1\n" + E, r"bad encoding declaration"),
    "nested_parentheses": (E + b"x = " + b"(" * 300 + b"1" + b")" * 300 + b"\n", r"too many nested parentheses"),
    # Nested past what the parser's own stack allows: MemoryError inside ast.parse.
    "parser_stack": (E + b"x = " + b"-" * 200_000 + b"1\n", r"nested too deeply"),
    # Deeper than the raised recursion limit of the retry: RecursionError, reported.
    "ast_recursion": (E + b"x = " + b"+".join([b"1"] * 200_000) + b"\n", r"nested too deeply"),
    "unterminated_string": (E + b"s = '''never closed\n", r"syntax error at line 2"),
    "bad_indentation": (E + b"if x:\nprint(1)\n", r"syntax error at line 3"),
}


@pytest.mark.parametrize("case", sorted(BAD_SCRIPTS))
def test_bad_script_is_reported_and_the_others_are_fixed(tree, cli, case):
    data, reason = BAD_SCRIPTS[case]
    (tree / "bad.py").write_bytes(data)
    (tree / "a_good.py").write_text(BUGGY)
    (tree / "z_good.py").write_text(BUGGY)

    check = cli(".")
    assert check.code == 2, check.text
    assert check.text.count("BFD001") >= 2  # both good files still linted
    assert re.search(reason, check.error_for("bad.py")), check.text

    fix = cli("--fix", ".")
    assert fix.code == 2, fix.text
    assert re.search(reason, fix.error_for("bad.py"))
    assert (tree / "bad.py").read_bytes() == data
    assert (tree / "a_good.py").read_text() == FIXED
    assert (tree / "z_good.py").read_text() == FIXED

    # Named explicitly, alone, and with --diff (errors go to stderr there).
    alone = cli("bad.py")
    assert alone.code == 2 and re.search(reason, alone.error_for("bad.py"))
    diff = cli("--diff", "bad.py")
    assert diff.code == 2 and re.search(reason, diff.error_for("bad.py"))
    assert (tree / "bad.py").read_bytes() == data


def test_a_syntax_error_through_a_real_process(tree):
    """The same through `python -m bf16lint`: no traceback, exit 2, the message on the line."""
    (tree / "bad.py").write_bytes(BAD_SCRIPTS["python2_print"][0])
    (tree / "good.py").write_text(BUGGY)
    run = cli_subprocess(["--fix", "bad.py", "good.py"], cwd=tree)
    assert run.code == 2
    assert_no_traceback(run)
    assert "Missing parentheses" in run.error_for("bad.py")
    assert (tree / "good.py").read_text() == FIXED


def test_deep_nesting_through_a_real_process_is_an_error_not_a_crash(tree):
    for name, case in (("deep1.py", "parser_stack"), ("deep2.py", "ast_recursion")):
        (tree / name).write_bytes(BAD_SCRIPTS[case][0])
    (tree / "good.py").write_text(BUGGY)
    run = cli_subprocess(["--fix", "."], cwd=tree)
    assert run.code == 2, run.text
    assert_no_traceback(run)
    assert "nested too deeply" in run.error_for("deep1.py")
    assert "nested too deeply" in run.error_for("deep2.py")
    assert (tree / "good.py").read_text() == FIXED


def test_files_without_evidence_are_not_parsed(tree, cli):
    """Documented: the prefilter skips files that cannot hold the bug, broken or not."""
    (tree / "broken.py").write_bytes(b'print "python 2"\n')
    run = cli("broken.py")
    assert run.code == 0, run.text


def test_a_usage_error_is_exit_2(tree, cli):
    run = cli("--select", "NOPE1", ".")
    assert run.code == 2
    assert "NOPE1" in run.text
