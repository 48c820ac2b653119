"""IPython syntax in notebook cells: masked for the analysis, restored on write.

Every line IPython would rewrite (``%magic``, ``!shell``, ``x = !cmd``, ``x = %magic``,
``obj?``/``?obj`` help, the ``,``/``;``/``/`` autocall escapes, automagic in a one-line
cell, the first line of a Python-like cell magic) is replaced by a Python placeholder of
the *same length*, so every other line and column stays exact:

* a whole line becomes a string literal at the same indentation (``!pip install x``
  -> ``"!!!!!!!!!!!!!"``), so a masked line inside an ``if`` body is still a statement;
  a one-character line becomes ``0``;
* an assignment keeps its target and masks only the IPython side (``x = !ls`` ->
  ``x = "!"``), so ``x`` stays bound for the dataflow;
* a command continued with a trailing backslash keeps its backslash (``"%%%"\\``) and
  its continuation lines become string literals that the backslash joins.

Only lines at the start of a statement are masked, as IPython does: lines inside a
bracket, a triple-quoted string or a backslash continuation are Python and stay as they
are. Cells whose cell magic runs something other than Python (``%%bash``, ``%%R``,
``%%writefile``, ...) are not linted at all.

Restoring maps the masked lines of a fixed text back to their originals by aligning the
old and new masked texts line by line (difflib); masking the restored source again must
give the fixed text back exactly, or the restore is refused.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
import warnings
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

# Cell magics whose body is Python that the kernel (or a Python subprocess) runs.
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "python", "python3", "debug", "memit", "snakeviz", "pyinstrument"}
)

# Line magics IPython runs without the % in a one-line cell (automagic), when the line is
# not valid Python (``cd ..``, ``pip install torch``); a valid line such as ``ls`` is
# left to Python, where it means the same to the analysis.
AUTOMAGIC_NAMES = frozenset(
    """
    aimport alias autocall autoawait automagic autoreload bookmark cat cd clear colors conda config
    cp cpaste debug dhist dirs doctest_mode edit env gui history killbgscripts ldir less load
    load_ext loadpy logoff logon logstart logstate logstop ls lsmagic lx macro magic mamba man
    matplotlib micromamba mkdir more mv notebook page pastebin pdb pdef pdoc pfile pinfo pinfo2
    pip popd pprint precision prun psearch psource pushd pwd pycat pylab qtconsole quickref recall
    rehashx reload_ext rep rerun reset reset_selective rm rmdir run save sc set_env store sx system
    tb tensorboard time timeit unalias unload_ext who who_ls whos xdel xmode
    """.split()
)

# Characters that make a statement-start line IPython syntax (IPython's ESC_* prefixes).
_ESCAPES = "!%?,;/"
_FILL = {"!": "!", "%": "%", "?": "?", ",": "%", ";": "%", "/": "%"}

# ``x = !cmd`` / ``x = %magic``: the target may be names, attributes, subscripts, tuples.
_ASSIGN_MAGIC = re.compile(r"(?P<head>[\w(\[*][\w.,\[\]()*:'\" \t]*?=[ \t]*)(?P<rhs>[!%].*)\Z")
# ``obj?``, ``obj.attr??``, ``np.*load*?`` (help and wildcard search).
_HELP_END = re.compile(r"[\w*][\w.*\[\]'\"]*\?\??[ \t]*\Z")
_WORD = re.compile(r"([A-Za-z_]\w*)(?=\s|\Z)")
_CELL_MAGIC = re.compile(r"%%(?P<name>\S*)[ \t]*(?P<args>.*)\Z")
_PYTHON_EXECUTABLE = re.compile(r"python3?(\.\d+)?\Z")
# A cheap look for anything that could be IPython syntax; cells without it skip the scan.
_MAYBE_IPYTHON = re.compile(r"(?:\A|[\r\n])[ \t\f]*[!%?,;/]|\?[ \t]*(?:[\r\n]|\Z)|=[ \t]*[!%]")
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n)|([^\r\n]+)\Z")


class NotPython(Exception):
    """The cell is not Python the analysis can read (a foreign cell magic, say)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RestoreError(Exception):
    """A fixed text whose masked lines cannot be mapped back to their IPython originals."""


@dataclass(frozen=True)
class MaskedCell:
    text: str  # the cell with IPython syntax masked, line breaks as in the source
    originals: Dict[int, str]  # 0-based line -> the original line (without its break)
    cell_magic: Optional[str] = None  # the %%magic line, which must stay the first line

    @property
    def masked_lines(self) -> Tuple[int, ...]:
        return tuple(sorted(self.originals))


def split_lines(text: str) -> List[Tuple[str, str]]:
    """(content, line break) pairs; the last line's break may be ""."""
    lines = []
    for match in _LINE.finditer(text):
        if match.group(3) is not None:
            lines.append((match.group(3), ""))
        else:
            lines.append((match.group(1), match.group(2)))
    return lines


def mask_cell(source: str) -> MaskedCell:
    """Mask a code cell's IPython syntax; raises NotPython for cells that are not Python."""
    lines = split_lines(source)
    first = _first_code_line(lines)
    if first is None:
        return MaskedCell(source, {})
    first_content = lines[first][0]
    has_cell_magic = first_content.lstrip().startswith("%%")
    one_line_cell = len(lines) - first == 1
    if not has_cell_magic and not one_line_cell and not _MAYBE_IPYTHON.search(source):
        return MaskedCell(source, {})

    contents = [content for content, _ in lines]
    masked = list(contents)
    originals: Dict[int, str] = {}
    position = 0
    if has_cell_magic:
        _check_cell_magic(first_content.lstrip())
        masked[first] = _mask_whole(first_content, "%", continued=False)
        originals[first] = first_content
        position = first + 1

    state = _PythonState()
    while position < len(lines):
        content = contents[position]
        has_next = position + 1 < len(lines)
        replacement = None
        if state.at_statement_start():
            replacement = _mask_statement(content, one_line_cell and not has_cell_magic, has_next)
        if replacement is None:
            state.feed(content)
            position += 1
            continue
        masked[position] = replacement
        originals[position] = content
        # A trailing backslash carries the IPython command on to the next line.
        while content.endswith("\\") and position + 1 < len(lines):
            position += 1
            content = contents[position]
            masked[position] = _mask_continuation(content, position + 1 < len(lines))
            originals[position] = content
        position += 1

    text = "".join(new + brk for new, (_, brk) in zip(masked, lines))
    return MaskedCell(text, originals, first_content if has_cell_magic else None)


def restore_cell(cell: MaskedCell, new_text: str) -> str:
    """The source for a fixed masked text: masked lines back to their IPython originals.

    The fix may insert, delete or change Python lines but never touches a masked line;
    a masked line it did touch (or that cannot be found) raises RestoreError.
    """
    if not cell.originals:
        return new_text
    old_contents = [content for content, _ in split_lines(cell.text)]
    new_lines = split_lines(new_text)
    new_contents = [content for content, _ in new_lines]
    restored = list(new_contents)
    matcher = difflib.SequenceMatcher(None, old_contents, new_contents, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        masked_here = [line for line in range(old_start, old_end) if line in cell.originals]
        if tag == "equal":
            for line in masked_here:
                restored[new_start + line - old_start] = cell.originals[line]
            continue
        # A masked line next to a changed one: find its placeholder, in order, in the block.
        cursor = new_start
        for line in masked_here:
            while cursor < new_end and new_contents[cursor] != old_contents[line]:
                cursor += 1
            if cursor == new_end:
                raise RestoreError(
                    f"the fix changed masked IPython line {line + 1} ({cell.originals[line]!r})"
                )
            restored[cursor] = cell.originals[line]
            cursor += 1
    source = "".join(content + brk for content, (_, brk) in zip(restored, new_lines))
    if cell.cell_magic is not None:
        first = _first_code_line(new_lines)
        if first is None or restored[first] != cell.cell_magic:
            raise RestoreError(f"the fix put code above the cell magic {cell.cell_magic!r}")
    try:
        again = mask_cell(source).text
    except NotPython as error:  # pragma: no cover - the first line is never changed
        raise RestoreError(error.reason) from None
    if again != new_text:
        raise RestoreError("the restored cell does not mask back to the fixed text")
    return source


def _first_code_line(lines: List[Tuple[str, str]]) -> Optional[int]:
    # IPython drops leading blank lines before it looks for a cell magic.
    return next((number for number, (content, _) in enumerate(lines) if content.strip()), None)


def _check_cell_magic(line: str) -> None:
    match = _CELL_MAGIC.match(line)
    name = match.group("name") if match else ""
    if name in PYTHON_CELL_MAGICS:
        return
    if name == "script":
        args = match.group("args").split()
        if args and _PYTHON_EXECUTABLE.match(os.path.basename(args[0])):
            return
    raise NotPython(f"%%{name} cell magic is not Python")


def _mask_statement(content: str, automagic: bool, has_next: bool) -> Optional[str]:
    """The placeholder for a statement-start line IPython would rewrite, else None."""
    body = content.lstrip(" \t\f")
    if not body:
        return None
    indent = content[: len(content) - len(body)]
    continued = body.endswith("\\") and has_next
    if body[0] in _ESCAPES:
        return indent + _string_placeholder(len(body), _FILL[body[0]], continued)
    assignment = _ASSIGN_MAGIC.match(body)
    if assignment:
        rhs = assignment.group("rhs")
        return indent + assignment.group("head") + _string_placeholder(len(rhs), _FILL[rhs[0]], continued)
    if _HELP_END.match(body):
        return indent + _string_placeholder(len(body), "?", continued=False)
    if automagic and _is_automagic(body):
        return indent + _string_placeholder(len(body), "%", continued)
    return None


def _mask_whole(content: str, fill: str, continued: bool) -> str:
    body = content.lstrip(" \t\f")
    return content[: len(content) - len(body)] + _string_placeholder(len(body), fill, continued)


def _mask_continuation(content: str, has_next: bool) -> str:
    """A line joined to a masked command by a backslash: indentation does not matter
    inside a continuation, so the whole line becomes a string the backslash joins."""
    continued = content.endswith("\\") and has_next
    if len(content) == 0:
        return ""
    if len(content) == 1:
        # Too short for a string: ";" ends the joined statement, "\\" keeps joining.
        return "\\" if continued else ";"
    return _string_placeholder(len(content), "%", continued)


def _string_placeholder(length: int, fill: str, continued: bool) -> str:
    if continued:
        if length < 3:
            raise NotPython("cannot mask a continued IPython line this short")
        return '"' + fill * (length - 3) + '"\\'
    if length == 1:
        return "0"
    return '"' + fill * (length - 2) + '"'


def _is_automagic(body: str) -> bool:
    word = _WORD.match(body)
    if not word or word.group(1) not in AUTOMAGIC_NAMES:
        return False
    rest = body[word.end() :].lstrip()
    if rest[:1] in ("=", ","):  # IPython reads ``cd = 1`` as Python
        return False
    return not _is_valid_python(body)


def _is_valid_python(line: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(line)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


class _PythonState:
    """Just enough of Python's tokenizer to know whether a line starts a statement:
    open brackets, an open multi-line string, a backslash continuation."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: Optional[str] = None  # the closing delimiter of an open string
        self.continued = False

    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> None:
        self.continued = False
        position = 0
        length = len(line)
        escaped_break = False
        while position < length:
            char = line[position]
            if self.quote is not None:
                if char == "\\":
                    escaped_break = position == length - 1
                    position += 2
                elif line.startswith(self.quote, position):
                    position += len(self.quote)
                    self.quote = None
                else:
                    position += 1
                continue
            if char == "#":
                break
            if char in "'\"":
                triple = char * 3
                self.quote = triple if line.startswith(triple, position) else char
                position += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char == "\\" and position == length - 1:
                self.continued = True
            position += 1
        # A one-quote string ends with its line unless a backslash escapes the break.
        if self.quote is not None and len(self.quote) == 1 and not escaped_break:
            self.quote = None
