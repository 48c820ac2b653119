"""Module summaries, and the resolver the interpreter asks about imports.

A module's summary is what importing it binds: the names its top level defines (classes,
functions, constants and their abstract values), computed by running the same interpreter
over that module, once per process whatever imports it, and only when something does.
Functions and classes stay syntax: the importing file's interpreter runs them with its own
arguments, with the defining module's globals and its virtual lines (index.py), so a
message can say where in which file a tensor became bf16.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from typing import Dict, Optional

from ..analysis.scopes import SourceMap
from ..analysis.values import UNKNOWN, _Unknown
from .index import LINE_SPAN, Found, Module, Namespace, ProjectIndex

MAX_IMPORT_DEPTH = 24  # a longer chain of modules importing modules is not followed further
_NOTHING = object()  # a module that cannot be read or parsed


@dataclass
class Summary:
    module: Module
    env: Dict[str, object]  # name -> abstract value, after the module's top level ran
    complete: bool = True  # False while its top level runs (an import cycle came back to it)


def summary_of(index: ProjectIndex, path: str, knowledge, depth: int = 0) -> Optional[Summary]:
    """The module's summary, computed on first use; None for a module that cannot be
    parsed. An import cycle that comes back to a module being computed gets it as Python
    gives it: half-initialised, its names filled in as its top level goes on (so a
    function that reads them when called later sees them all)."""
    key = ("summary", path, knowledge)
    cached = index.cache.get(key)
    if cached is _NOTHING:
        return None
    if cached is not None:
        return cached  # type: ignore[return-value]
    module = index.module(path)
    if module is None or module.tree is None:
        index.cache[key] = _NOTHING
        return None
    from ..analysis.interpreter import Interpreter

    resolver = ImportResolver(index, module.path, module.tree, knowledge, depth + 1, defer=True)
    interpreter = Interpreter(module.tree, module.lines, knowledge, resolver)
    interpreter.module_frame.env = LazyEnv()  # its imports are resolved when its code reads them
    summary = Summary(module, interpreter.module_frame.env, complete=False)
    index.cache[key] = summary
    try:
        _run_top_level(interpreter, module)
    except BaseException:
        index.cache.pop(key, None)
        raise
    summary.env = interpreter.module_frame.env  # a branch at the top level replaces the dict
    summary.complete = True
    return summary


def _run_top_level(interpreter, module: Module) -> None:
    from ..analysis.values import Const

    frame = interpreter.module_frame
    # Imported, a module is not __main__: its script part does not run.
    frame.env["__name__"] = Const(os.path.splitext(os.path.basename(module.path))[0])
    try:
        interpreter.exec_top(module.tree.body, frame)
    except RecursionError:
        pass
    except Exception:  # noqa: BLE001 - what the top level bound before the problem stays
        # (a module-level `raise`, a path split the summary does not follow, a bug of ours:
        # none of them may cost the file being linted its analysis).
        pass
    frame.env.pop("__name__", None)


class Deferred(_Unknown):
    """An import in another module's top level, resolved the first time its name is read
    (a module that imports fifty helpers costs fifty parses only if all of them are used).
    Read before that, it says nothing, as an unknown value does."""

    def __init__(self, resolver: "ImportResolver", module: Optional[str], name: str, level: int, fallback):
        self.resolver, self.module, self.name, self.level, self.fallback = resolver, module, name, level, fallback
        self.value = None
        self.resolving = False  # on the stack: an import cycle that comes back here finds it unbound

    def resolve(self):
        if self.value is None:
            if self.resolving:
                # An import cycle came back to this name before it was bound (`from . import x`
                # in a package's __init__, two modules importing a name from each other): as in
                # Python's partially initialised module, nothing is known of it yet.
                return UNKNOWN
            self.resolving = True
            try:
                if self.level < 0:  # `import a.b.c`: name is the dotted module, module says whether aliased
                    found = self.resolver.import_module(self.name, self.module == "as", defer=False)
                else:
                    found = self.resolver.import_from(self.module, self.name, self.level, defer=False)
            finally:
                self.resolving = False
            self.value = found if found is not None else self.fallback
        return self.value

    def __repr__(self):
        return f"Deferred({self.module!r}, {self.name!r})"


class LazyEnv(dict):
    """A module's globals whose deferred imports resolve when read (a copy for one file
    being linted copies each resolved value into that file's run)."""

    __slots__ = ("memo",)

    def __init__(self, items=(), memo=None):
        super().__init__(items)
        self.memo = memo

    def __getitem__(self, key):
        value = dict.__getitem__(self, key)
        if isinstance(value, Deferred):
            if value.resolving:
                return UNKNOWN  # read inside its own import cycle: unbound there, and not cached
            value = value.resolve()
            if self.memo is not None:
                from ..analysis.values import deep_copy

                value = deep_copy(value, self.memo)
            dict.__setitem__(self, key, value)
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default


class ImportResolver:
    """What the interpreter of one file (or one summary) asks: the value an import binds,
    the globals of another module's function, the source text of any virtual line.

    Values handed out are this run's copies of the summaries (a model cast or an object
    changed in one file never leaks into the next file linted)."""

    def __init__(self, index: ProjectIndex, path: str, tree: Optional[ast.AST], knowledge, depth: int = 0,
                 defer: bool = False):
        self.index = index
        self.defer = defer  # a summary's imports wait until read (Deferred)
        self.path = os.path.abspath(path)
        self.knowledge = knowledge
        self.depth = depth
        self.roots = index.search_roots(self.path, tree=tree)
        self._frames: Dict[int, object] = {}  # module number -> this run's copy of its globals
        self._namespaces: Dict[object, object] = {}
        self._memo: Dict[int, object] = {}

    # ----------------------------------------------------------- the interface
    def owns(self, node: ast.AST) -> bool:
        """True for a node of the file being linted (not of a module it imports)."""
        return (getattr(node, "lineno", 0) or 0) < LINE_SPAN

    def source_map(self, lines):
        return ProjectSourceMap(lines, self.index)

    def import_module(self, name: str, aliased: bool, defer: Optional[bool] = None):
        """`import a.b.c` binds `a` (b and c reachable as attributes); `import a.b as m`
        binds the module a.b. None when a.b.c is not the project's."""
        if self.depth > MAX_IMPORT_DEPTH or self._described(name, module=True):
            return None
        found = self.index.find(name, self.roots)
        if found is None:
            return None
        if self.defer if defer is None else defer:
            from ..analysis.values import ModuleRef

            fallback = ModuleRef(name if aliased else name.split(".")[0])
            return Deferred(self, "as" if aliased else "", name, -1, fallback)
        leaf = self._namespace(found)
        if leaf is None:
            return None
        if aliased:
            return leaf
        parts = name.split(".")
        top = self._namespace(self.index.find(parts[0], self.roots))
        if top is None:
            return None
        current = top
        for depth in range(1, len(parts)):
            sub = self.index.find(".".join(parts[: depth + 1]), self.roots)
            value = self._namespace(sub) if sub is not None else None
            if value is None:
                return None
            current.attrs[parts[depth]] = value
            current = value
        return top

    def import_from(self, module: Optional[str], name: str, level: int, defer: Optional[bool] = None):
        """`from module import name` (level: the leading dots): the name's value in the
        module's summary, or a submodule; `*`: a dict of the module's public names."""
        if self.depth > MAX_IMPORT_DEPTH:
            return None
        if not level and module and (self._described(f"{module}.{name}") or self._described(module, module=True)):
            return None
        base = self.index.resolve_import(self.path, module, level, self.roots)
        if base is None:
            return None
        if name != "*" and (self.defer if defer is None else defer):
            from ..analysis.values import ModuleRef

            qualified = f"{module}.{name}" if module else name
            return Deferred(self, module, name, level, ModuleRef(qualified))
        frame = self._frame(base) if not isinstance(base, Namespace) else None
        if name == "*":
            if frame is None:
                return None
            public = frame.env.get("__all__")
            names = _all_names(public)
            return {k: frame.env[k] for k in list(frame.env)
                    if (k in names if names is not None else not k.startswith("_")) and "." not in k}
        cycle = frame is not None and _in_cycle(frame.env, name)
        if frame is not None and name in frame.env and not cycle:
            return frame.env[name]
        directories = base.dirs if isinstance(base, Namespace) else (
            [os.path.dirname(base)] if os.path.basename(base) == "__init__.py" else [])
        sub = self.index.find_in(name, directories) if directories else None
        if sub is not None:
            return self._namespace(sub)
        return UNKNOWN if cycle else None  # unbound inside the cycle; None: not the project's

    def _described(self, qualified: str, module: bool = False) -> bool:
        """A name the knowledge tables describe (a configured `backbones` entry that is
        a project function or class): the table's meaning wins over the code's."""
        kb = self.knowledge
        entries = tuple(kb.backbones) + tuple(kb.self_casting)
        if module:
            return any(e.startswith(qualified + ".") for e in entries if "." in e)
        from ..analysis.knowledge import matches

        last = qualified.rsplit(".", 1)[-1]
        return matches(qualified, entries) or last in kb.hf_backbone_classes or last in kb.self_casting_classes

    def carry_hits(self, interpreter, callee, node, name: str, args, kwargs, frame) -> None:
        """Hits made in another module's code go back to the linted file's call (crossing.py)."""
        from .crossing import carry_hits

        carry_hits(interpreter, callee, node, name, args, kwargs, frame)

    def config_call(self, interpreter, node, frame):
        """What `yaml.safe_load(open(path))` reads from a config file of the project, or
        None for any other call (configfiles.py)."""
        from .configfiles import config_call

        return config_call(interpreter, node, frame)

    def globals_for(self, fn: ast.AST):
        """The globals a function of another project module runs with (None: this file's)."""
        module = self.index.module_at_line(getattr(fn, "lineno", 0) or 0)
        if module is None:
            return None
        return self._frame(module.path)

    # ----------------------------------------------------------- copies
    def _frame(self, path: str):
        summary = summary_of(self.index, path, self.knowledge, self.depth)
        if summary is None:
            return None
        frame = self._frames.get(summary.module.number)
        if frame is None and not summary.complete:  # inside an import cycle: the live globals
            from ..analysis.interpreter import Frame

            return Frame(summary.module.tree, env=summary.env)
        if frame is None:
            from ..analysis.interpreter import Frame
            from ..analysis.values import deep_copy

            env = LazyEnv(((name, deep_copy(value, self._memo)) for name, value in summary.env.items()), self._memo)
            frame = Frame(summary.module.tree, env=env)
            self._frames[summary.module.number] = frame
        return frame

    def _namespace(self, found: Optional[Found]):
        """A module as a value: an object whose attributes are its globals."""
        if found is None:
            return None
        key = found if isinstance(found, Namespace) else os.path.abspath(found)
        value = self._namespaces.get(key)
        if value is None:
            from ..analysis.values import Instance

            if isinstance(found, Namespace):
                value = Instance(None, {})
            else:
                frame = self._frame(found)
                if frame is None:
                    return None
                value = Instance(None, frame.env)  # the same dict: `data.X = ...` is seen by data's code
            self._namespaces[key] = value
        return value


def _in_cycle(env, name: str) -> bool:
    """The name is bound by an import still being resolved: `from . import sub` in a
    package's __init__ finds its own binding, which Python has not made yet (it then
    imports the submodule), and so does a chain of re-exports that comes back to itself."""
    raw = dict.get(env, name)
    return isinstance(raw, Deferred) and raw.resolving


def _all_names(value) -> Optional[set]:
    from ..analysis.values import Const, Container

    if not isinstance(value, Container):
        return None
    names = {v.value for v in value.items.values() if isinstance(v, Const) and isinstance(v.value, str)}
    return names if len(names) == len(value.items) else None


class _Shifted:
    """A node's position moved back from virtual lines to its own file's lines."""

    def __init__(self, node, offset: int):
        self.lineno = node.lineno - offset
        self.end_lineno = (node.end_lineno or node.lineno) - offset
        self.col_offset = node.col_offset
        self.end_col_offset = node.end_col_offset


class ProjectSourceMap(SourceMap):
    """The linted file's lines, and every imported module's through its virtual lines."""

    def __init__(self, lines, index: ProjectIndex):
        super().__init__(lines)
        self.index = index
        self._maps: Dict[int, SourceMap] = {}

    def _foreign(self, line: int):
        module = self.index.module_at_line(line)
        if module is None:
            return None, 0
        source = self._maps.get(module.number)
        if source is None:
            source = self._maps[module.number] = SourceMap(module.lines)
        return source, module.offset

    def char_col(self, line: int, byte_col: int) -> int:
        if line < LINE_SPAN:
            return super().char_col(line, byte_col)
        source, offset = self._foreign(line)
        return source.char_col(line - offset, byte_col) if source is not None else byte_col

    def segment(self, node: ast.AST) -> str:
        line = getattr(node, "lineno", None)
        if line is None or line < LINE_SPAN:
            return super().segment(node)
        source, offset = self._foreign(line)
        try:
            if source is None:
                raise IndexError(line)
            return source.segment(_Shifted(node, offset))  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a position we cannot map: the code, re-spelled
            return ast.unparse(node)
