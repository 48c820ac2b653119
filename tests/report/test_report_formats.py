from __future__ import annotations

import json
import re

import pytest

from bf16lint import __version__
from bf16lint.findings import FileResult
from bf16lint.report import FORMATS, render, source_line

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_formats_listed():
    assert FORMATS == ("text", "concise", "json", "json-lines", "github", "sarif")


def test_unknown_format(rules):
    with pytest.raises(ValueError):
        render("xml", [], rules)


def test_source_line(script_result, notebook_result):
    assert source_line(script_result.document, 5) == "    feats = model(images)"
    assert source_line(script_result.document, 99) is None
    doc = notebook_result.document
    unit = doc.units[2]
    assert source_line(doc, unit.start_line) == "___________"  # masked !nvidia-smi
    assert source_line(doc, unit.start_line + 3) == "    feats = model(images)  # é"


# ----------------------------------------------------------------------------- text


def test_text_caret_under_span(script_result, rules):
    out = render("text", [script_result], rules)
    assert "\x1b" not in out
    lines = out.splitlines()
    header = lines.index("train.py:5:13: BFD001 bf16 tensor `images` enters float32 backbone `model`")
    code_line = lines[header + 2]
    caret_line = lines[header + 3]
    assert code_line.endswith("    feats = model(images)")
    bar = code_line.index("|")
    src_start = bar + 2
    caret_start = caret_line.index("^")
    assert code_line[caret_start:caret_start + 13] == "model(images)"
    assert caret_start == src_start + 12
    assert caret_line[caret_start:].startswith("^" * 13 + " BFD001")


def test_text_help_and_summary(script_result, rules):
    out = render("text", [script_result], rules)
    assert "help: Cast `images` to float32 ([*] fixable)" in out
    assert "help: Use float32 ([*] fixable with --unsafe-fixes)" in out
    assert "Found 1 error and 1 warning." in out
    assert "[*] 1 fixable with the `--fix` option." in out
    assert "(1 hidden fix can be enabled with the `--unsafe-fixes` option.)" in out
    out = render("text", [script_result], rules, unsafe_fixes=True)
    assert "help: Use float32 ([*] fixable)" in out
    assert "[*] 2 fixable with the `--fix` option." in out
    # findings sorted by position: line 2 before line 5
    assert out.index("train.py:2:1:") < out.index("train.py:5:13:")


def test_text_color_only_when_asked(script_result, notebook_result, rules):
    plain = render("text", [script_result, notebook_result], rules)
    colored = render("text", [script_result, notebook_result], rules, color=True)
    assert "\x1b" not in plain
    assert "\x1b[" in colored
    assert ANSI.sub("", colored) == plain
    for fmt in FORMATS[2:]:
        assert "\x1b" not in render(fmt, [script_result, notebook_result], rules, color=True)


def test_text_notebook_positions(notebook_result, rules):
    out = render("text", [notebook_result], rules)
    lines = out.splitlines()
    header = [l for l in lines if "BFD002" in l and l.startswith("nb.ipynb")]
    assert header == ["nb.ipynb:cell 5:4:13: BFD002 bf16 outside autocast"]
    i = lines.index(header[0])
    assert lines[i + 2].startswith("4 |")
    assert lines[i + 2].endswith("feats = model(images)  # é")
    caret = lines[i + 3].index("^")
    assert lines[i + 2][caret:caret + 13] == "model(images)"
    assert "nb.ipynb: note: cell 9: R magic %%R, skipped" in lines


def test_text_notes_dim(notebook_result, rules):
    out = render("text", [notebook_result], rules, color=True)
    assert "\x1b[2mnb.ipynb: note: cell 9: R magic %%R, skipped\x1b[0m" in out
    assert "note:" not in render("concise", [notebook_result], rules)


def test_text_all_passed_and_fix_summary(script_result, rules):
    assert render("text", [FileResult(path="ok.py")], rules) == "All checks passed!\n"
    fixed = script_result.findings[0]
    result = FileResult(path="train.py", findings=[script_result.findings[1]], fixed=[fixed],
                        document=script_result.document)
    out = render("text", [result], rules, fix_mode=True)
    assert "Found 1 error and 1 warning (1 fixed, 1 remaining)." in out
    assert "fixable with the `--fix` option" not in out
    all_fixed = FileResult(path="train.py", fixed=[fixed], document=script_result.document)
    assert render("text", [all_fixed], rules, fix_mode=True).endswith(
        "Found 1 error (1 fixed, 0 remaining).\n")


def test_text_file_errors(rules, script_result):
    bad = FileResult(path="broken.ipynb", error="invalid JSON: Expecting value (line 1, column 1)")
    out = render("text", [bad], rules)
    assert "broken.ipynb: error: invalid JSON: Expecting value (line 1, column 1)" in out
    assert "All checks passed!" not in out
    assert "1 file could not be checked." in out
    out = render("concise", [bad, script_result], rules)
    assert out.splitlines()[0] == "broken.ipynb: error: invalid JSON: Expecting value (line 1, column 1)"


def test_show_fixes(script_result, notebook_result, rules):
    result = FileResult(path="train.py", fixed=list(script_result.findings), document=script_result.document)
    nb = FileResult(path="nb.ipynb", fixed=list(notebook_result.findings), document=notebook_result.document)
    out = render("text", [result, nb], rules, fix_mode=True, show_fixes=True)
    assert "Fixed 3 errors:" in out
    assert "- train.py:" in out
    assert "    5:13: BFD001 (bf16-into-fp32-backbone)" in out
    assert "    cell 5:4:13: BFD002 (bf16-outside-autocast)" in out
    assert "No errors fixed" in render("text", [FileResult(path="a.py")], rules,
                                       fix_mode=True, show_fixes=True)
    assert "Fixed" not in render("text", [result], rules, fix_mode=True)


def test_statistics(script_result, notebook_result, rules):
    out = render("text", [script_result, notebook_result], rules, statistics=True)
    lines = out.splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith("count"))
    assert re.match(r"count\s+code\s+fixable\s+name", lines[head])
    rows = [l.split() for l in lines[head + 1:head + 4]]
    assert ["1", "BFD001", "1", "bf16-into-fp32-backbone"] in rows
    assert ["1", "BFD002", "1", "bf16-outside-autocast"] in rows
    assert ["1", "BFD003", "0", "bf16-model-dtype"] in rows
    assert "^" not in out  # no diagnostics in statistics mode
    data = json.loads(render("json", [script_result, notebook_result], rules, statistics=True))
    assert {d["code"]: (d["count"], d["fixable_count"], d["fixable"]) for d in data} == {
        "BFD001": (1, 1, True), "BFD002": (1, 1, True), "BFD003": (1, 0, False)}
    assert all(d["name"] for d in data)


# ----------------------------------------------------------------------------- concise


def test_concise(script_result, notebook_result, rules):
    out = render("concise", [script_result, notebook_result], rules)
    lines = out.splitlines()
    assert lines[0] == "train.py:2:1: BFD003 model dtype changed"
    assert lines[1] == "train.py:5:13: BFD001 bf16 tensor `images` enters float32 backbone `model`"
    assert lines[2] == "nb.ipynb:cell 5:4:13: BFD002 bf16 outside autocast"
    assert lines[3] == "Found 1 error and 2 warnings."
    assert "\x1b" not in out


# ----------------------------------------------------------------------------- json


def test_json(script_result, notebook_result, rules):
    bad = FileResult(path="bad.py", error="cannot decode: invalid utf-8")
    data = json.loads(render("json", [script_result, notebook_result, bad], rules))
    assert isinstance(data, list) and len(data) == 4
    keys = {"code", "message", "severity", "filename", "cell", "cell_id", "location",
            "end_location", "fix", "url"}
    assert all(set(obj) == keys for obj in data)
    bfd001 = next(o for o in data if o["code"] == "BFD001")
    assert bfd001["filename"] == "train.py"
    assert bfd001["cell"] is None and bfd001["cell_id"] is None
    assert bfd001["severity"] == "error"
    assert bfd001["location"] == {"row": 5, "column": 13}
    assert bfd001["end_location"] == {"row": 5, "column": 26}
    assert bfd001["fix"] == {
        "applicability": "safe",
        "message": "Cast `images` to float32",
        "edits": [{"content": "    images = images.float()\n",
                   "location": {"row": 5, "column": 1}, "end_location": {"row": 5, "column": 1}}],
    }
    bfd003 = next(o for o in data if o["code"] == "BFD003")
    assert bfd003["fix"]["applicability"] == "unsafe" and bfd003["fix"]["edits"] == []
    nb = next(o for o in data if o["code"] == "BFD002")
    assert nb["cell"] == 5 and nb["cell_id"] == "id5"
    assert nb["location"] == {"row": 4, "column": 13}
    assert nb["severity"] == "warning"
    err = data[-1]
    assert err["code"] is None and err["severity"] == "fatal"
    assert err["filename"] == "bad.py" and err["message"] == "cannot decode: invalid utf-8"
    assert json.loads(render("json", [], rules)) == []


def test_json_lines(script_result, notebook_result, rules):
    out = render("json-lines", [script_result, notebook_result], rules)
    assert out.endswith("\n")
    objs = [json.loads(line) for line in out.splitlines()]
    assert [o["code"] for o in objs] == ["BFD003", "BFD001", "BFD002"]
    assert objs == json.loads(render("json", [script_result, notebook_result], rules))
    assert render("json-lines", [], rules) == ""


# ----------------------------------------------------------------------------- github


def _parse_annotation(line):
    m = re.match(r"::(error|warning) ([^:]*)::(.*)$", line)
    assert m, line
    props = dict(p.split("=", 1) for p in m.group(2).split(","))
    return m.group(1), props, m.group(3)


def test_github_script(script_result, rules):
    lines = render("github", [script_result], rules).splitlines()
    level, props, message = _parse_annotation(lines[1])
    assert level == "error"
    assert props == {"file": "train.py", "line": "5", "col": "13", "endLine": "5",
                     "endColumn": "26", "title": "bf16lint (BFD001)"}
    assert message == "BFD001 bf16 tensor `images` enters float32 backbone `model`"
    assert _parse_annotation(lines[0])[0] == "warning"


def test_github_notebook_uses_raw_lines(notebook_result, rules):
    doc = notebook_result.document
    raw_lines = doc.raw.decode("utf-8").split("\n")
    (line,) = render("github", [notebook_result], rules).splitlines()
    level, props, message = _parse_annotation(line)
    assert level == "warning"
    raw_no = int(props["line"])
    assert raw_no > 1
    assert raw_no == doc.raw_line(notebook_result.findings[0].line)
    raw_text = raw_lines[raw_no - 1]
    assert "feats = model(images)" in raw_text
    # columns point into the JSON string on that line
    col, end = int(props["col"]), int(props["endColumn"])
    assert raw_text[col - 1:end - 1] == "model(images)"
    assert message == "BFD002 bf16 outside autocast (cell 5, line 4, column 13)"


def test_github_notebook_string_source(rules, fakes):
    FakeNotebook, located, NOTEBOOK_CELLS = fakes.FakeNotebook, fakes.located, fakes.NOTEBOOK_CELLS
    doc = FakeNotebook("s.ipynb", NOTEBOOK_CELLS, string_source=True)
    vline = doc.units[2].start_line + 3
    f = located(doc, "BFD001", "error", vline, 12, vline, 25)
    (line,) = render("github", [FileResult(path="s.ipynb", findings=[f], document=doc)], rules).splitlines()
    _, props, _ = _parse_annotation(line)
    raw_text = doc.raw.decode("utf-8").split("\n")[int(props["line"]) - 1]
    assert '"source": "!nvidia-smi\\nfor batch' in raw_text
    assert raw_text[int(props["col"]) - 1:int(props["endColumn"]) - 1] == "model(images)"


def test_github_escapes_and_errors(rules):
    bad = FileResult(path="a,b.py", error="bad: 100%\nline")
    (line,) = render("github", [bad], rules).splitlines()
    assert line == "::error file=a%2Cb.py,title=bf16lint::bad: 100%25%0Aline"


# ----------------------------------------------------------------------------- sarif


def test_sarif_structure(script_result, notebook_result, rules):
    bad = FileResult(path="broken.ipynb", error="invalid JSON")
    log = json.loads(render("sarif", [script_result, notebook_result, bad], rules))
    assert log["version"] == "2.1.0"
    assert "sarif" in log["$schema"]
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "bf16lint"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("http")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == ["BFD001", "BFD002", "BFD003"]
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["markdown"] == rules[rule["id"]].doc_markdown()
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    assert driver["rules"][0]["defaultConfiguration"]["level"] == "error"
    results = run["results"]
    assert len(results) == 3
    for res in results:
        assert res["ruleId"] in ids
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        assert res["level"] in ("error", "warning")
        phys = res["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"]["uri"]
        assert isinstance(phys["region"]["startLine"], int) and phys["region"]["startLine"] >= 1
    script = next(r for r in results if r["ruleId"] == "BFD001")
    assert script["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "train.py"},
        "region": {"startLine": 5, "startColumn": 13, "endLine": 5, "endColumn": 26},
    }
    (fix,) = script["fixes"]
    change = fix["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "train.py"
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 5, "startColumn": 1, "endLine": 5, "endColumn": 1},
        "insertedContent": {"text": "    images = images.float()\n"},
    }]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["level"] == "error"
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.ipynb"
    assert "invalid JSON" in notes[0]["message"]["text"]


def test_sarif_notebook_raw_lines(notebook_result, rules):
    log = json.loads(render("sarif", [notebook_result], rules))
    (res,) = log["runs"][0]["results"]
    doc = notebook_result.document
    region = res["locations"][0]["physicalLocation"]["region"]
    expected = doc.raw_line(notebook_result.findings[0].line)
    assert region["startLine"] == region["endLine"] == expected
    raw_text = doc.raw.decode("utf-8").split("\n")[expected - 1]
    assert raw_text[region["startColumn"] - 1:region["endColumn"] - 1] == "model(images)"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "nb.ipynb"
    assert res["properties"]["cell"] == 5 and res["properties"]["cellRow"] == 4
    assert "fixes" not in res  # notebook edits are cell coordinates, not .ipynb bytes


def test_sarif_paths_relative_posix(tmp_path, monkeypatch, rules, script_result):
    monkeypatch.chdir(tmp_path)
    result = FileResult(path=str(tmp_path / "sub dir" / "train.py"), findings=script_result.findings,
                        document=script_result.document)
    log = json.loads(render("sarif", [result], rules))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "sub%20dir/train.py"


def test_sarif_without_document_or_unknown_rule(rules):
    from bf16lint.findings import Finding

    f = Finding(code="BFD999", message="m", severity="error", line=3, col=4, end_line=3, end_col=8)
    log = json.loads(render("sarif", [FileResult(path="x.py", findings=[f])], rules))
    run = log["runs"][0]
    res = run["results"][0]
    assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "BFD999"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert res["locations"][0]["physicalLocation"]["region"]["startColumn"] == 5


def test_raw_columns_skip_json_escapes(rules, fakes):
    cells = [("code", 's = "q\\"\\té"; feats = model(images)\n')]
    doc = fakes.FakeNotebook("e.ipynb", cells)
    line = source_line(doc, 1)
    col = line.index("model")
    f = fakes.located(doc, "BFD001", "error", 1, col, 1, col + len("model(images)"))
    result = FileResult(path="e.ipynb", findings=[f], document=doc)
    _, props, _ = _parse_annotation(render("github", [result], rules).strip())
    raw_text = doc.raw.decode("utf-8").split("\n")[int(props["line"]) - 1]
    assert '\\"' in raw_text and "\\t" in raw_text
    assert raw_text[int(props["col"]) - 1:int(props["endColumn"]) - 1] == "model(images)"


def test_raw_columns_left_out_when_unmappable(rules, fakes):
    doc = fakes.FakeNotebook("n.ipynb", fakes.NOTEBOOK_CELLS)
    vline = doc.units[2].start_line + 3
    f = fakes.located(doc, "BFD001", "error", vline, 12, vline, 25)
    doc.raw = b"{}"  # raw bytes that do not hold the cell line: keep the line, drop columns
    region = json.loads(render("sarif", [FileResult(path="n.ipynb", findings=[f], document=doc)], rules))[
        "runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": doc.raw_line(vline), "endLine": doc.raw_line(vline)}


def test_text_caret_with_tabs(rules, fakes):
    doc = fakes.FakeScript("t.py", "if x:\n\tfeats = model(images)\n")
    f = fakes.located(doc, "BFD001", "error", 2, 9, 2, 22)
    out = render("text", [FileResult(path="t.py", findings=[f], document=doc)], rules)
    lines = out.splitlines()
    code = next(l for l in lines if l.startswith("2 |"))
    caret = next(l for l in lines if "^" in l)
    assert code == "2 | \tfeats = model(images)"
    assert caret == "  | \t        ^^^^^^^^^^^^^ BFD001"
