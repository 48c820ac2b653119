"""`.gitignore` and `.ignore` matching for the directory walk, without git or a dependency.

Git's rules (gitignore(5)): blank lines and `#` comments are skipped; `!` re-includes;
a trailing `/` matches directories only; a pattern with a `/` at the start or in the
middle is anchored to the directory of its file, any other pattern matches a name at any
depth below it; `*` and `?` never cross `/`, `**` does; the last matching line wins, and
a deeper file wins over the files above it. A file inside an ignored directory cannot be
re-included (the walk never enters that directory).

Ignore files are read in the walked directories and in their parents up to the top of
the git work tree (the directory holding `.git`); outside a git work tree, from the walk
root down. `.git/info/exclude` is read at the top of a work tree.
"""
from __future__ import annotations

import os
import re
from typing import Dict, List, Optional, Tuple

IGNORE_FILES = (".gitignore", ".ignore")

# One parsed line: (regex on the path relative to the ignore file's directory, negated,
# directories only).
Pattern = Tuple["re.Pattern[str]", bool, bool]


def _translate(glob: str) -> str:
    """A gitignore glob (without leading/trailing markers) as a regex body."""
    out: List[str] = []
    i, n = 0, len(glob)
    while i < n:
        ch = glob[i]
        if ch == "*":
            if glob.startswith("**", i):
                before_ok = i == 0 or glob[i - 1] == "/"
                after = glob[i + 2:i + 3]
                if before_ok and after == "/":  # "**/": zero or more directories
                    out.append("(?:[^/]*/)*")
                    i += 3
                    continue
                if before_ok and i + 2 == n:  # trailing "/**": everything inside
                    out.append(".*")
                    i += 2
                    continue
                out.append("[^/]*")  # "a**b" is an ordinary star
                i += 2
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = glob.find("]", i + 2 if glob[i + 1:i + 2] in ("!", "^", "]") else i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = glob[i + 1:end]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif ch == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def parse_lines(text: str) -> List[Pattern]:
    patterns: List[Pattern] = []
    for line in text.splitlines():
        line = line.rstrip("\r")
        # Trailing spaces are dropped unless escaped with a backslash.
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(stripped) < len(line):
            stripped += " "
        line = stripped
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        elif line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        body = _translate(line)
        regex = f"^{body}$" if anchored else f"^(?:.*/)?{body}$"
        try:
            patterns.append((re.compile(regex, re.DOTALL), negate, dir_only))
        except re.error:  # an odd character class: git ignores such a line too
            continue
    return patterns


def _read_patterns(path: str) -> List[Pattern]:
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            return parse_lines(handle.read())
    except OSError:
        return []


def _work_tree_top(directory: str) -> Optional[str]:
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


class GitIgnore:
    """Answers "is this path ignored?" for paths met while walking a tree top-down."""

    def __init__(self) -> None:
        self._by_dir: Dict[str, List[Pattern]] = {}
        self._tops: Dict[str, Optional[str]] = {}

    def _own(self, directory: str) -> List[Pattern]:
        """The patterns of the ignore files in one directory (cached)."""
        if directory not in self._by_dir:
            patterns: List[Pattern] = []
            for name in IGNORE_FILES:
                patterns.extend(_read_patterns(os.path.join(directory, name)))
            if os.path.isdir(os.path.join(directory, ".git")):
                # Applies as if at the top of the work tree, below its .gitignore.
                patterns = _read_patterns(os.path.join(directory, ".git", "info", "exclude")) + patterns
            self._by_dir[directory] = patterns
        return self._by_dir[directory]

    def _chain(self, directory: str, root: str) -> List[str]:
        """The directories whose ignore files govern entries of ``directory``: from the
        work tree's top (or the walk root outside one) down to ``directory``."""
        if root not in self._tops:
            self._tops[root] = _work_tree_top(root)
        top = self._tops[root] or root
        chain = []
        current = directory
        while True:
            chain.append(current)
            if current == top:
                break
            parent = os.path.dirname(current)
            if parent == current or not (current + os.sep).startswith(top.rstrip(os.sep) + os.sep):
                break
            current = parent
        return chain[::-1]

    def ignored(self, path: str, is_dir: bool, root: str) -> bool:
        """Whether ``path`` (met while walking ``root``) is ignored; the last match wins."""
        path = os.path.abspath(path)
        root = os.path.abspath(root)
        verdict = False
        for directory in self._chain(os.path.dirname(path), root):
            patterns = self._own(directory)
            if not patterns:
                continue
            rel = os.path.relpath(path, directory).replace(os.sep, "/")
            for regex, negate, dir_only in patterns:
                if dir_only and not is_dir:
                    continue
                if regex.match(rel):
                    verdict = not negate
        return verdict
