"""Output for people, CI and editors, through the real CLI: every --output-format parsed,
--statistics, --show-fixes, --exit-non-zero-on-fix, --output-file, and the rule pages."""
from __future__ import annotations

import json
import os
import re
import sys

import pytest
from eco_helpers import BUGGY_FINDINGS, BUGGY_SCRIPT, CLEAN_SCRIPT, bf16lint_process, write, write_notebook

from bf16lint.rules import RULES

GITHUB = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<title>[^:]+)::(?P<message>.+)$"
)


@pytest.fixture
def files(project):
    """A buggy script, a clean script and a buggy notebook in the working directory."""
    write(project / "train.py", BUGGY_SCRIPT)
    write(project / "clean.py", CLEAN_SCRIPT)
    write_notebook(project / "nb.ipynb")
    return project


# ------------------------------------------------------------------ text and concise
def test_text_default(files, cli):
    run = cli("train.py")
    assert run.code == 1
    assert "\x1b[" not in run.out  # no colour when stdout is not a terminal
    assert "train.py:23:15: BFD001 " in run.out
    assert '23 |         out = model(batch["image"])' in run.out
    caret = re.search(r"^\s+\|\s+(\^+) BFD001$", run.out, re.M)
    assert caret and len(caret.group(1)) == len('model(batch["image"])')
    assert "Found 1 error and 1 warning." in run.out


def test_text_notebook_names_the_cell(files, cli):
    run = cli("nb.ipynb")
    assert "nb.ipynb:cell 3:2:7: BFD001 " in run.out


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_text_colour_only_on_a_tty(files):
    import pty
    import subprocess

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    process = subprocess.Popen([sys.executable, "-m", "bf16lint", "train.py"], cwd=str(files),
                               stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in out and "BFD001" in out
    # NO_COLOR turns it off even on a terminal.
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "bf16lint", "train.py"], cwd=str(files),
                               stdout=follower, stderr=follower, env=dict(env, NO_COLOR="1"))
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    assert "\x1b[" not in b"".join(chunks).decode("utf-8", "replace")


def test_concise(files, cli):
    run = cli("train.py", "nb.ipynb", "clean.py", "--output-format", "concise")
    assert run.code == 1
    assert run.concise() == [("train.py", None, r, c, code) for r, c, code in BUGGY_FINDINGS] + [
        ("nb.ipynb", 3, 2, 7, "BFD001")
    ]
    assert "Found 2 errors and 1 warning." in run.out


def test_clean_file_exits_zero(files, cli):
    run = cli("clean.py")
    assert run.code == 0 and "All checks passed!" in run.out


def test_exit_zero_flag(files, cli):
    run = cli("train.py", "--exit-zero")
    assert run.code == 0 and "BFD001" in run.out


def test_unreadable_file_exits_2(files, cli):
    write(files / "broken.py", "def (:\n    bf16 torch.hub.load\n")
    run = cli("broken.py", "missing.py", "train.py", "--output-format", "concise")
    assert run.code == 2
    assert "broken.py: error: syntax error" in run.out
    assert "missing.py: error: no such file or directory" in run.out
    assert len(run.concise()) == 2  # the good file is still reported


# ------------------------------------------------------------------ json and json-lines
def _check_json_finding(item):
    assert set(item) >= {"code", "message", "filename", "location", "end_location", "fix", "cell", "severity"}
    assert re.fullmatch(r"BFD\d{3}", item["code"])
    assert item["location"]["row"] >= 1 and item["location"]["column"] >= 1


def test_json(files, cli):
    run = cli("train.py", "nb.ipynb", "--output-format", "json")
    assert run.code == 1
    items = json.loads(run.out)
    assert isinstance(items, list) and len(items) == 3
    for item in items:
        _check_json_finding(item)
    script = [i for i in items if i["filename"].endswith("train.py")]
    assert [(i["location"]["row"], i["location"]["column"], i["code"]) for i in script] == BUGGY_FINDINGS
    assert script[1]["severity"] == "error" and script[0]["severity"] == "warning"
    fix = script[1]["fix"]
    assert fix["applicability"] == "safe"
    assert fix["edits"] == [{
        "content": '        batch["image"] = batch["image"].float()\n',
        "location": {"row": 23, "column": 1},  # an insertion before line 23
        "end_location": {"row": 23, "column": 1},
    }]
    notebook = [i for i in items if i["filename"].endswith("nb.ipynb")]
    assert notebook[0]["cell"] == 3 and notebook[0]["location"] == {"row": 2, "column": 7}
    assert notebook[0]["fix"]["edits"][0]["content"] == "images = images.float()\n"


def test_json_lines(files, cli):
    run = cli("train.py", "nb.ipynb", "--output-format", "json-lines")
    lines = run.out.splitlines()
    assert len(lines) == 3
    items = [json.loads(line) for line in lines]
    for item in items:
        _check_json_finding(item)
    assert json.loads(cli("train.py", "nb.ipynb", "--output-format", "json").out) == items


def test_json_clean_is_empty_list(files, cli):
    run = cli("clean.py", "--output-format", "json")
    assert run.code == 0 and json.loads(run.out) == []
    assert cli("clean.py", "--output-format", "json-lines").out == ""


# ------------------------------------------------------------------ github
def test_github_annotations(files, cli):
    run = cli("train.py", "nb.ipynb", "--output-format", "github")
    assert run.code == 1
    annotations = [GITHUB.match(line) for line in run.out.splitlines() if line.startswith("::")]
    assert len(annotations) == 3 and all(annotations)
    script = [a for a in annotations if a["file"] == "train.py"]
    assert [(int(a["line"]), int(a["col"]), a["title"]) for a in script] == [
        (19, 15, "bf16lint (BFD002)"), (23, 15, "bf16lint (BFD001)")
    ]
    assert [a["level"] for a in script] == ["warning", "error"]
    (notebook,) = [a for a in annotations if a["file"] == "nb.ipynb"]
    # The real line inside the .ipynb file, not line 1.
    raw_lines = (files / "nb.ipynb").read_text(encoding="utf-8").splitlines()
    line = raw_lines[int(notebook["line"]) - 1]
    assert '"out = model(images)"' in line
    assert line[int(notebook["col"]) - 1:int(notebook["end_col"]) - 1] == "model(images)"
    assert "cell 3" in notebook["message"]


# ------------------------------------------------------------------ sarif
def test_sarif_structure_for_code_scanning(files, cli):
    run = cli("train.py", "nb.ipynb", "clean.py", "--output-format", "sarif")
    assert run.code == 1
    sarif = json.loads(run.out)
    assert sarif["version"] == "2.1.0"
    assert "sarif" in sarif["$schema"]
    assert len(sarif["runs"]) == 1
    run0 = sarif["runs"][0]
    driver = run0["tool"]["driver"]
    assert driver["name"] == "bf16lint" and driver["version"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == sorted(RULES)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
        assert "## Why is this bad?" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run0["results"]
    assert len(results) == 3
    for result in results:
        assert result["ruleId"] in rule_ids
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] in ("train.py", "nb.ipynb")
        region = location["region"]
        assert region["startLine"] >= 1
        assert region.get("endLine", region["startLine"]) >= region["startLine"]
    by_uri = {}
    for result in results:
        by_uri.setdefault(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], []).append(result)
    script = by_uri["train.py"]
    assert [(r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["ruleId"]) for r in script] == BUGGY_FINDINGS
    # Script results carry their fix as a replacement.
    change = script[1]["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "train.py"
    replacement = change["replacements"][0]
    assert replacement["deletedRegion"]["startLine"] == 23
    assert replacement["insertedContent"]["text"] == '        batch["image"] = batch["image"].float()\n'
    # The notebook result points at the line of the .ipynb file that stores the cell line.
    (notebook,) = by_uri["nb.ipynb"]
    region = notebook["locations"][0]["physicalLocation"]["region"]
    raw_lines = (files / "nb.ipynb").read_text(encoding="utf-8").splitlines()
    assert '"out = model(images)"' in raw_lines[region["startLine"] - 1]
    assert notebook["properties"]["cell"] == 3


def test_sarif_with_no_findings_is_still_valid(files, cli):
    run = cli("clean.py", "--output-format", "sarif")
    assert run.code == 0
    sarif = json.loads(run.out)
    assert sarif["runs"][0]["results"] == []
    assert [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]] == sorted(RULES)


# ------------------------------------------------------------------ flags
def test_statistics_text(files, cli):
    run = cli("train.py", "nb.ipynb", "--statistics")
    assert run.code == 1
    table = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\s*(\d+)\s+(BFD\d{3})\b", run.out, re.M)}
    assert table == {"BFD001": 2, "BFD002": 1}
    assert "train.py:" not in run.out  # counts instead of findings


def test_statistics_json(files, cli):
    run = cli("train.py", "nb.ipynb", "--statistics", "--output-format", "json")
    rows = {row["code"]: row for row in json.loads(run.out)}
    assert rows["BFD001"]["count"] == 2 and rows["BFD002"]["count"] == 1
    assert rows["BFD001"]["name"] == RULES["BFD001"].name


def test_fix_and_show_fixes(files, cli):
    run = cli("train.py", "nb.ipynb", "--fix", "--show-fixes")
    assert run.code == 0  # everything fixed, nothing remains
    assert "train.py" in run.out and "nb.ipynb" in run.out
    assert "BFD001" in run.out and "BFD002" in run.out
    assert re.search(r"Fixed 3 errors", run.out)
    assert (files / "train.py").read_text().count(".float()") == 2
    assert cli("train.py", "nb.ipynb").code == 0


def test_show_fixes_without_fix_lists_nothing_fixed(files, cli):
    run = cli("train.py", "--show-fixes")
    assert run.code == 1 and "BFD001" in run.out
    assert (files / "train.py").read_text() == BUGGY_SCRIPT


def test_exit_non_zero_on_fix(files, cli):
    run = cli("train.py", "--fix", "--exit-non-zero-on-fix")
    assert run.code == 1  # something was fixed
    run = cli("train.py", "--fix", "--exit-non-zero-on-fix")
    assert run.code == 0  # nothing left to fix, nothing remains
    assert cli("clean.py", "--fix", "--exit-non-zero-on-fix").code == 0


def test_diff_changes_nothing(files, cli):
    run = cli("train.py", "--diff")
    assert run.code == 1
    assert run.out.startswith("--- train.py\n+++ train.py\n")
    assert run.out.count('+        batch["image"] = batch["image"].float()') == 1
    assert (files / "train.py").read_text() == BUGGY_SCRIPT
    assert cli("clean.py", "--diff").code == 0


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "json-lines", "github", "sarif"])
def test_output_file(files, cli, fmt):
    run = cli("train.py", "--output-format", fmt, "--output-file", "reports/out.txt")
    assert run.code == 1
    assert run.out == ""
    text = (files / "reports" / "out.txt").read_text(encoding="utf-8")
    assert "BFD001" in text and "\x1b[" not in text
    if fmt in ("json", "sarif"):
        json.loads(text)
    if fmt == "json-lines":
        assert [json.loads(line)["code"] for line in text.splitlines()] == ["BFD002", "BFD001"]


def test_output_file_unwritable_exits_2(files, cli):
    write(files / "blocker", "a file, not a directory\n")
    run = cli("train.py", "--output-file", "blocker/out.json")
    assert run.code == 2 and "--output-file" in run.err


def test_unknown_output_format_exits_2(files, cli):
    run = cli("train.py", "--output-format", "xml")
    assert run.code == 2 and "invalid choice" in run.err


def test_sarif_subprocess_to_file(files):
    """As the GitHub Actions snippet runs it."""
    run = bf16lint_process("--output-format", "sarif", "--output-file", "bf16lint.sarif", ".", cwd=files)
    assert run.code == 1
    sarif = json.loads((files / "bf16lint.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"train.py", "nb.ipynb"}  # relative, posix, no "./"


# ------------------------------------------------------------------ rule pages
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety", "## References")


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_page(cli, code):
    run = cli("rule", code)
    assert run.code == 0
    page = run.out
    title = page.split("\n# ", 1)[-1].splitlines()[0] if not page.startswith("# ") else page.splitlines()[0]
    assert code in title and RULES[code].name in title
    positions = [page.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert "```python" in page
    assert page == RULES[code].doc_markdown() + "\n"


def test_rule_page_lower_case(cli):
    assert cli("rule", "bfd001").out == cli("rule", "BFD001").out


def test_rule_all(cli):
    run = cli("rule", "--all")
    assert run.code == 0
    for code in RULES:
        assert RULES[code].doc_markdown() in run.out
    for section in SECTIONS:
        assert run.out.count(section) == len(RULES)
    assert "should be the same" in run.out  # the real error message is quoted


def test_rule_unknown_exits_2(cli):
    run = cli("rule", "BFD999")
    assert run.code == 2 and "BFD001" in run.err
    assert cli("rule").code == 2
