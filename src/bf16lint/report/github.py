"""``github``: GitHub Actions workflow commands, one annotation per finding::

    ::error file=train.py,line=41,col=17,endLine=41,endColumn=30,title=bf16lint (BFD001)::BFD001 message
    ::warning file=nb.ipynb,line=312,col=12,endLine=312,endColumn=25,title=bf16lint (BFD002)::BFD002 message (cell 23, line 4, column 9)

Notebooks: ``line`` is the line *inside the .ipynb file* that stores the cell line
(``Document.raw_line``), so the annotation lands on the real spot — ruff puts every
notebook annotation on line 1. ``col``/``endColumn`` point into the JSON string on that
line when they can be mapped exactly and are left out otherwise; the message ends
with the cell position a reader knows. A file that could not be checked becomes
``::error file=PATH,title=bf16lint::reason``.
"""
from __future__ import annotations

from typing import Dict, List

from ..findings import FileResult, Finding
from ._common import Options, locate, raw_region, relative_posix, sorted_findings


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(severity: str) -> str:
    return "warning" if severity == "warning" else "error"


def _file(path: str) -> str:
    rel = relative_posix(path)
    return rel if rel is not None else path


def annotation(result: FileResult, finding: Finding) -> str:
    region = raw_region(result.document, finding)
    start, _ = locate(finding, result.document)
    props = [f"file={_prop(_file(result.path))}", f"line={region['startLine']}"]
    if "startColumn" in region:
        props.append(f"col={region['startColumn']}")
    if "endLine" in region:
        props.append(f"endLine={region['endLine']}")
    if "endColumn" in region:
        props.append(f"endColumn={region['endColumn']}")
    props.append(f"title={_prop(f'bf16lint ({finding.code})')}")
    message = f"{finding.code} {finding.message}"
    if start.cell is not None:
        message += f" (cell {start.cell}, line {start.row}, column {start.column})"
    return f"::{_command(finding.severity)} {','.join(props)}::{_data(message)}"


def render_github(results: List[FileResult], rules: Dict[str, object], options: Options) -> str:
    lines = []
    for result in results:
        if result.error:
            lines.append(
                f"::error file={_prop(_file(result.path))},title=bf16lint::{_data(str(result.error))}"
            )
        for f in sorted_findings(result.findings):
            lines.append(annotation(result, f))
    return "".join(line + "\n" for line in lines)
