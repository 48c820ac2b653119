"""The user's project as Python would import it: roots, module names and files.

Nothing here is imported or executed: files are read as bytes, parsed with stdlib ast only
when their summary is asked for, and only inside the project. Third-party packages (the
standard library, torch, timm, anything under site-packages) are never read: their
behaviour is the knowledge tables' business.

Every module the analysis reads gets a number k, and its syntax tree is shifted to the
virtual lines ``k * LINE_SPAN + line``: one interpreter can then run code of several
files, and a line number alone says which file it belongs to (``data.py line 12``), the
way a notebook's virtual lines say which cell.
"""
from __future__ import annotations

import ast
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from ..analysis.scopes import dotted_name

LINE_SPAN = 10_000_000  # virtual lines per module: no real file comes close
STAT_CACHE_SIZE = 4096  # path probes remembered; import resolution probes the same few folders
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
# Top-level names that are never the project's, whatever a folder is called: the libraries
# the knowledge tables describe, and the standard library.
LIBRARY_ROOTS = frozenset(
    {
        "torch", "torchvision", "timm", "transformers", "open_clip", "clip", "segment_anything", "sam2",
        "accelerate", "lightning", "pytorch_lightning", "numpy", "PIL", "cv2", "tqdm", "einops",
        "omegaconf", "hydra", "easydict", "ml_collections", "huggingface_hub", "safetensors",
        "bf16lint",  # bf16lint.runtime.float32_inputs is known by name, also inside this repository
    }
) | frozenset(getattr(sys, "stdlib_module_names", ()))
THIRD_PARTY_DIRS = ("site-packages", "dist-packages")
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__", "node_modules",
                          ".ipynb_checkpoints", "build", "dist", ".eggs"})


@dataclass
class Module:
    """One .py file of the project, read once; parsed the first time its code is needed."""

    path: str  # absolute
    number: int  # its virtual lines start at number * LINE_SPAN
    data: bytes
    _tree: Optional[ast.Module] = None
    _lines: Optional[List[str]] = None
    broken: bool = False  # does not parse: treated as not importable

    @property
    def digest(self) -> str:
        """The content hash (a summary cache that outlives the process keys on it)."""
        import hashlib  # not on the command line's path: only long-lived caches ask

        return hashlib.blake2b(self.data, digest_size=16).hexdigest()

    @property
    def offset(self) -> int:
        return self.number * LINE_SPAN

    def text(self) -> str:
        return self.data.decode("utf-8", "replace").lstrip("\ufeff")

    @property
    def lines(self) -> List[str]:
        if self._lines is None:
            self._lines = re.split(r"\r\n|\r|\n", self.text())
        return self._lines

    @property
    def tree(self) -> Optional[ast.Module]:
        if self._tree is None and not self.broken:
            try:
                tree = ast.parse(self.text())
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self.broken = True
                return None
            ast.increment_lineno(tree, self.offset)
            self._tree = tree
        return self._tree


@dataclass(frozen=True)
class Namespace:
    """A namespace package (PEP 420): folders without __init__.py, one per search root."""

    name: str
    dirs: Tuple[str, ...]


Found = Union[str, Namespace]  # a module's file, or a namespace package


@dataclass
class ProjectIndex:
    root: str  # absolute
    modules: Dict[str, Module] = field(default_factory=dict)  # by absolute path
    by_number: List[Optional[Module]] = field(default_factory=lambda: [None])  # number 0: the file linted
    _stat: Dict[str, int] = field(default_factory=dict)  # path -> 0 missing, 1 file, 2 dir
    _roots: Dict[str, Tuple[str, ...]] = field(default_factory=dict)  # importing file -> search roots
    _folder_roots: Dict[str, Tuple[str, ...]] = field(default_factory=dict)  # folder -> roots of its plain files
    cache: Dict[object, object] = field(default_factory=dict)  # summaries, evidence (other modules' use)

    # ------------------------------------------------------------------ files
    def kind(self, path: str) -> int:
        known = self._stat.get(path)
        if known is None:
            if len(self._stat) >= STAT_CACHE_SIZE:
                self._stat.clear()  # only saves repeated stat calls: bounded, so memory stays flat
            known = 1 if os.path.isfile(path) else 2 if os.path.isdir(path) else 0
            self._stat[path] = known
        return known

    def inside(self, path: str) -> bool:
        """Readable as the project's own code: under the root or a folder the code itself
        put on sys.path, and never an installed package."""
        parts = path.split(os.sep)
        return not any(part in THIRD_PARTY_DIRS for part in parts)

    def module(self, path: str) -> Optional[Module]:
        path = os.path.abspath(path)
        found = self.modules.get(path)
        if found is None:
            if not self.inside(path):
                return None
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                return None
            found = Module(path, len(self.by_number), data)
            self.modules[path] = found
            self.by_number.append(found)
        return found

    def module_at_line(self, line: int) -> Optional[Module]:
        number = line // LINE_SPAN
        if 0 < number < len(self.by_number):
            return self.by_number[number]
        return None

    def name_line(self, line: int) -> str:
        """How a message names another module's virtual line: `models/backbone.py line 12`."""
        module = self.module_at_line(line)
        if module is None:
            return f"line {line}"
        return f"{display_path(module.path)} line {line - module.offset}"

    # ------------------------------------------------------------ search roots
    def search_roots(self, path: str, tree: Optional[ast.AST] = None, text: Optional[str] = None) -> Tuple[str, ...]:
        """Where `import x` looks from this file: its own folder (a script's sys.path[0]),
        folders its code adds to sys.path, the folder above its top package, the project
        root and its src/ folder."""
        path = os.path.abspath(path)
        known = self._roots.get(path)
        if known is not None:
            return known
        here = os.path.dirname(path)
        walked = tree is not None and text is None  # found by walking a tree: worth remembering
        if tree is None and text is not None and "sys.path" in text:
            tree = _sys_path_statements(text)
        additions = sys_path_additions(tree, path) if tree is not None and (text is None or "sys.path" in text) else []
        if additions:
            roots = self._roots[path] = self._roots_from(here, additions)
            return roots
        # Most files add nothing to sys.path: their folder decides, and one tuple per
        # folder (not one per file) keeps a large tree's index small.
        shared = self._folder_roots.get(here)
        if shared is None:
            shared = self._folder_roots[here] = self._roots_from(here, [])
        if walked:
            self._roots[path] = shared
        return shared

    def _roots_from(self, here: str, additions: List[str]) -> Tuple[str, ...]:
        # A script's folder is sys.path[0]; a module inside a package is imported from
        # above it, so its own folder is only the last resort there.
        in_package = self.kind(os.path.join(here, "__init__.py")) == 1
        roots: List[str] = [] if in_package else [here]
        roots.extend(additions)
        roots.append(self.package_parent(here))
        roots.append(self.root)
        roots.append(os.path.join(self.root, "src"))
        if in_package:
            roots.append(here)
        unique: List[str] = []
        for root in roots:
            root = os.path.normpath(root)
            if root not in unique and self.inside(root) and self.kind(root) == 2:
                unique.append(root)
        return tuple(unique)

    def package_parent(self, directory: str) -> str:
        """The folder above the outermost regular package holding `directory`."""
        while self.kind(os.path.join(directory, "__init__.py")) == 1:
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return directory

    # ------------------------------------------------------------- resolution
    def find(self, name: str, roots: Sequence[str]) -> Optional[Found]:
        """The file (or namespace package) `import name` finds, as Python's path finder
        would: the first root with a module or regular package wins; otherwise the
        namespace portions of every root. None for libraries and what is not there."""
        parts = [p for p in name.split(".") if p]
        if not parts or parts[0] in LIBRARY_ROOTS:
            return None
        return self._find_parts(parts, roots)

    def _find_parts(self, parts: List[str], roots: Sequence[str]) -> Optional[Found]:
        current: Optional[Found] = None
        for depth, part in enumerate(parts):
            if depth == 0:
                search = list(roots)
            elif isinstance(current, Namespace):
                search = list(current.dirs)
            elif current is not None and os.path.basename(current) == "__init__.py":
                search = [os.path.dirname(current)]
            else:
                return None  # a plain module has no submodules
            current = self._find_in(part, search, ".".join(parts[: depth + 1]))
            if current is None:
                return None
        return current

    def find_in(self, name: str, directories: Sequence[str]) -> Optional[Found]:
        """`name` (dotted) below the given folders: for relative imports and submodules."""
        parts = [p for p in name.split(".") if p]
        if not parts:
            return None
        current = self._find_in(parts[0], directories, parts[0])
        if current is None or len(parts) == 1:
            return current
        if isinstance(current, Namespace):
            return self._find_parts(parts[1:], current.dirs)
        if os.path.basename(current) == "__init__.py":
            return self._find_parts(parts[1:], [os.path.dirname(current)])
        return None

    def _find_in(self, part: str, directories: Sequence[str], dotted: str) -> Optional[Found]:
        portions = []
        for directory in directories:
            if not self.inside(directory):
                continue
            base = os.path.join(directory, part)
            if self.kind(os.path.join(base, "__init__.py")) == 1:
                return os.path.join(base, "__init__.py")
            if self.kind(base + ".py") == 1:
                return base + ".py"
            if self.kind(base) == 2 and part not in SKIPPED_DIRS and self.inside(base):
                portions.append(base)
        if portions:
            return Namespace(dotted, tuple(portions))
        return None

    def relative_base(self, path: str, level: int) -> str:
        """The folder a `from ..x import y` in this file starts from."""
        directory = os.path.dirname(os.path.abspath(path))
        for _ in range(max(level - 1, 0)):
            directory = os.path.dirname(directory)
        return directory

    def resolve_import(self, path: str, module: Optional[str], level: int, roots: Sequence[str]) -> Optional[Found]:
        if level:
            base = self.relative_base(path, level)
            if not module:
                init = os.path.join(base, "__init__.py")
                return init if self.kind(init) == 1 else Namespace(os.path.basename(base), (base,))
            return self.find_in(module, [base])
        return self.find(module or "", roots)

    # ------------------------------------------------------------ import graph
    def imports_of(self, path: str, text: Optional[str] = None) -> Sequence[Found]:
        """The project modules a file imports (a regex over its text, no parse): what the
        prefilter and the reverse graph follow. `from pkg import sub` counts `sub` too."""
        path = sys.intern(os.path.abspath(path))  # the same string as where other files' imports found it
        key = ("imports", path)
        if text is None and key in self.cache:
            return self.cache[key]  # type: ignore[return-value]
        if text is None:
            module = self.module(path)
            if module is None:
                return []
            text = module.text()
        roots = self.search_roots(path, text=text)
        found: List[Found] = []
        for level, name, names in scan_imports(text):
            base = self.resolve_import(path, name, level, roots) if (name or level) else None
            if base is not None:
                found.append(_shared(base))
            for member in names:
                sub = self._submodule(base, member, path, level, name, roots)
                if sub is not None:
                    found.append(_shared(sub))
        # Kept for the whole run (every closure that reaches this file reads it): a shared
        # empty list and shared path strings keep the per-file cost to the entry itself.
        self.cache[key] = found or _NO_IMPORTS
        return found

    def _submodule(self, base, member, path, level, name, roots) -> Optional[Found]:
        if base is None:
            return None
        if isinstance(base, Namespace):
            return self.find_in(member, base.dirs)
        if os.path.basename(base) == "__init__.py":
            return self.find_in(member, [os.path.dirname(base)])
        return None

    def files_of(self, found: Found) -> List[str]:
        if isinstance(found, Namespace):
            return []
        return [found]

    def importers_of(self, path: str, candidates: Iterable[str]) -> List[str]:
        """The reverse import graph, over the given files: which of them import `path`."""
        target = os.path.abspath(path)
        out = []
        for candidate in candidates:
            if any(target in self.files_of(f) for f in self.imports_of(candidate)):
                out.append(candidate)
        return out


_NO_IMPORTS: Tuple[Found, ...] = ()


def _shared(found: Found) -> Found:
    """One string object per module path, however many files import it."""
    return sys.intern(found) if isinstance(found, str) else found


def display_path(path: str) -> str:
    """A path as messages show it: relative to the working directory (`../data.py` from a
    notebook's folder), absolute when that would climb far."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    climbs = relative.split(os.sep).count("..")
    return path if climbs > 2 else relative.replace(os.sep, "/")


# ------------------------------------------------------------------ root discovery
def find_root(path: str, fallback: Optional[str] = None) -> str:
    """The project root: the nearest folder upward holding pyproject.toml, setup.cfg,
    setup.py or .git; otherwise the fallback (the common root of the paths given on the
    command line) when the file is below it; otherwise the file's folder."""
    path = os.path.abspath(path)
    directory = path if os.path.isdir(path) else os.path.dirname(path)
    probe = directory
    while True:
        if any(os.path.exists(os.path.join(probe, marker)) for marker in ROOT_MARKERS):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    if fallback is not None:
        fallback = os.path.abspath(fallback)
        if directory == fallback or directory.startswith(fallback.rstrip(os.sep) + os.sep):
            return fallback
    return directory


def common_root(paths: Sequence[str]) -> Optional[str]:
    """The deepest folder holding every given path."""
    folders = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths if p != "-"]
    if not folders:
        return None
    try:
        return os.path.commonpath(folders)
    except ValueError:
        return None


# ------------------------------------------------------------------ import scanning
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<dots>\.*)[ \t]*(?P<module>[\w.]*)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n#;]*)|import[ \t]+(?P<plain>[^\n#;]+))",
    re.M,
)


def scan_imports(text: str) -> List[Tuple[int, str, List[str]]]:
    """(level, module, imported names) for every import statement at the start of a line.

    The pattern is tried only at the starts of lines that contain "import" (found with
    str.find, in C): trying it at every line start cost 3x as much on a real corpus, where
    this scan runs for every file the byte prefilter cannot rule out on its own."""
    out: List[Tuple[int, str, List[str]]] = []
    find = text.find
    position = find("import")
    covered = 0  # a match spanning lines (a parenthesised name list) covers them
    while position != -1:
        start = text.rfind("\n", 0, position) + 1
        match = _IMPORT.match(text, start) if start >= covered else None
        if match is not None:
            covered = match.end()
            _add_import(match, out)
        end = find("\n", position)
        if end == -1:
            break
        position = find("import", end)
    return out


def _add_import(match, out: List[Tuple[int, str, List[str]]]) -> None:
    if match.group("plain") is not None:
        for item in match.group("plain").split(","):
            name = item.strip().split(" as ")[0].strip()
            if name:
                out.append((0, name, []))
        return
    names = match.group("names").strip().strip("()")
    members = [n.strip().split(" as ")[0].strip() for n in names.replace("\\\n", " ").split(",")]
    out.append((len(match.group("dots")), match.group("module"), [m for m in members if m and m != "*"]))


# ------------------------------------------------------------------ sys.path additions
def sys_path_additions(tree: ast.AST, path: str) -> List[str]:
    """Folders this code puts on sys.path: `sys.path.append('..')`,
    `sys.path.insert(0, str(Path(__file__).parent / '..'))`, `os.path.join(os.path.dirname(
    __file__), '..')`. A relative folder is taken from the file's own folder (where a
    notebook runs, and where most scripts are started)."""
    out: List[str] = []
    here = os.path.dirname(os.path.abspath(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("append", "insert") and dotted_name(node.func.value) == "sys.path"):
            continue
        args = node.args[1:] if node.func.attr == "insert" else node.args[:1]
        if not args:
            continue
        folder = static_path(args[0], path, here)
        if folder is not None:
            out.append(os.path.normpath(folder))
    return out


def _sys_path_statements(text: str) -> Optional[ast.Module]:
    """The text parsed, or (a notebook's cells with magics, a file that does not parse)
    just its lines that touch sys.path, each parsed on its own."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    body: List[ast.stmt] = []
    for line in text.splitlines():
        if "sys.path" in line:
            try:
                body.extend(ast.parse(line.strip()).body)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
    return ast.Module(body=body, type_ignores=[])




_IDENTITY_CALLS = {"str", "os.fspath", "Path", "pathlib.Path", "os.path.abspath", "os.path.realpath",
                   "os.path.normpath", "os.path.expanduser", "PurePath", "pathlib.PurePath"}
_IDENTITY_METHODS = {"resolve", "absolute", "expanduser", "as_posix", "__str__"}


def static_path(node, path: str, here: str) -> Optional[str]:
    """The folder an expression names, when it is spelled from literals and __file__."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return os.path.join(here, node.value)
    if isinstance(node, ast.Name) and node.id == "__file__":
        return os.path.abspath(path)
    dotted = dotted_name(node)
    if dotted in ("os.curdir",):
        return here
    if dotted in ("os.pardir",):
        return os.path.join(here, "..")
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        inner = static_path(node.value, path, here)
        return os.path.dirname(os.path.normpath(inner)) if inner is not None else None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
        inner = static_path(node.value.value, path, here)
        index = node.slice
        if inner is None or not (isinstance(index, ast.Constant) and isinstance(index.value, int)):
            return None
        inner = os.path.normpath(inner)
        for _ in range(index.value + 1):
            inner = os.path.dirname(inner)
        return inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = static_path(node.left, path, here)
        right = _literal_part(node.right)
        return os.path.join(left, right) if left is not None and right is not None else None
    if isinstance(node, ast.Call):
        name = dotted_name(node.func)
        if name in ("os.getcwd", "Path.cwd", "pathlib.Path.cwd") and not node.args:
            return here
        if name == "os.path.dirname" and len(node.args) == 1:
            inner = static_path(node.args[0], path, here)
            return os.path.dirname(os.path.normpath(inner)) if inner is not None else None
        if name == "os.path.join" and node.args:
            first = static_path(node.args[0], path, here)
            rest = [_literal_part(a) for a in node.args[1:]]
            if first is None or any(r is None for r in rest):
                return None
            return os.path.join(first, *rest)  # type: ignore[arg-type]
        if name in _IDENTITY_CALLS and len(node.args) == 1:
            return static_path(node.args[0], path, here)
        if isinstance(node.func, ast.Attribute) and node.func.attr in _IDENTITY_METHODS and not node.args:
            return static_path(node.func.value, path, here)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "joinpath":
            first = static_path(node.func.value, path, here)
            rest = [_literal_part(a) for a in node.args]
            if first is None or any(r is None for r in rest):
                return None
            return os.path.join(first, *rest)  # type: ignore[arg-type]
    return None


def _literal_part(node) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    dotted = dotted_name(node)
    if dotted == "os.pardir":
        return ".."
    if dotted == "os.curdir":
        return "."
    return None


# ------------------------------------------------------------------ one index per root
_INDEXES: Dict[str, ProjectIndex] = {}
_ROOT_OF: Dict[Tuple[str, Optional[str]], str] = {}


def index_for(path: str, fallback_root: Optional[str] = None) -> ProjectIndex:
    """The process's index of the project holding `path` (built once per root)."""
    directory = os.path.dirname(os.path.abspath(path))
    key = (directory, fallback_root)
    root = _ROOT_OF.get(key)
    if root is None:
        root = find_root(path, fallback_root)
        _ROOT_OF[key] = root
    index = _INDEXES.get(root)
    if index is None:
        index = _INDEXES[root] = ProjectIndex(root)
    return index


def forget_indexes() -> None:
    """Drop every index (tests; a long-lived process after files changed)."""
    _INDEXES.clear()
    _ROOT_OF.clear()
