"""The server's state without the protocol: open buffers, the project they belong to, the
configuration, and the last analysis of each buffer.

Project context: every open script is installed in the project index in place of its
file on disk (unsaved buffers win), so a buffer that imports it sees its unsaved code. A
change to a module drops the cached summaries of that module and of every module that
imports it, transitively (the reverse import graph), and only the open buffers among them
are analysed again. A buffer's analysis is kept under the hash of its content, so a
buffer nothing changed for is never analysed twice.
"""
from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Set

from ..config import ConfigError, Settings, SettingsResolver
from ..documents import Document, DocumentError
from ..engine import LintOptions, lint_document
from ..project import index_for
from ..project.index import Module, ProjectIndex
from .buffers import Buffer

log = logging.getLogger(__name__)

CONFIG_FILES = ("pyproject.toml",)
# Cache entries of project/ that depend on a module's own text or on what it imports.
_OWN_KEYS = ("imports", "evidence")
_DEPENDENT_KEYS = ("summary",)


@dataclass
class Analysis:
    """One buffer's analysis, valid while its key holds."""

    key: tuple
    document: Optional[Document]
    findings: list
    options: Optional[LintOptions]
    error: Optional[str] = None  # why the buffer was not analysed (a syntax error)
    notes: list = field(default_factory=list)


class Session:
    def __init__(self, root: Optional[str] = None):
        self.root = os.path.abspath(root) if root else None
        self.buffers: Dict[str, Buffer] = {}  # by document uri (a notebook: its own uri)
        self.analyses: Dict[str, Analysis] = {}
        self.generation = 0  # bumped when the configuration or the files on disk change
        self._stale: Dict[str, int] = {}  # uri -> how often a module it imports changed
        self._installed: Set[str] = set()  # paths whose index module is an open buffer
        self._sys_path_lines: Dict[str, tuple] = {}  # uri -> its sys.path lines when last analysed
        self.settings = SettingsResolver()
        self.config_error: Optional[str] = None

    # ------------------------------------------------------------ buffers
    def open(self, buffer: Buffer) -> List[str]:
        """Open or replace a buffer; returns the uris whose diagnostics may have changed."""
        self.buffers[buffer.uri] = buffer
        return [buffer.uri] + self._install(buffer)

    update = open

    def close(self, uri: str) -> List[str]:
        """Forget a buffer; its file on disk becomes the project's module again."""
        buffer = self.buffers.pop(uri, None)
        self.analyses.pop(uri, None)
        self._stale.pop(uri, None)
        self._sys_path_lines.pop(uri, None)
        if buffer is None or buffer.path is None or buffer.notebook:
            return []
        self._installed.discard(buffer.path)
        try:
            with open(buffer.path, "rb") as handle:
                data = handle.read()
        except OSError:
            data = None
        return self._replace_module(buffer.path, data)

    def buffer_of(self, uri: str) -> Optional[Buffer]:
        """The buffer holding a document uri: a script, or the notebook a cell belongs to."""
        if uri in self.buffers:
            return self.buffers[uri]
        for buffer in self.buffers.values():
            if buffer.notebook and buffer.cell_for(uri) is not None:
                return buffer
        return None

    # ------------------------------------------------------------ files and configuration
    def files_changed(self, paths: Iterable[str], created_or_deleted: bool = False) -> List[str]:
        """Files changed on disk (workspace/didChangeWatchedFiles, a save). A configuration
        file reloads the settings and analyses every buffer again; a module is read again
        unless a buffer holds it; a file created or deleted can change what any import
        finds, so the project indexes start afresh."""
        paths = [os.path.abspath(p) for p in paths]
        if any(os.path.basename(p) in CONFIG_FILES for p in paths):
            return self.reload_config()
        if created_or_deleted:
            return self._rebuild_indexes()
        uris: List[str] = []
        for path in paths:
            if path in self._installed or not path.endswith(".py"):
                continue
            if path not in index_for(path, self.root).modules:
                continue  # never read: nothing analysed so far depends on it
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                data = None
            uris.extend(self._replace_module(path, data))
        return _unique(uris)

    def reload_config(self) -> List[str]:
        self.settings = SettingsResolver()
        self.config_error = None
        return self._rebuild_indexes()

    def _rebuild_indexes(self) -> List[str]:
        from ..project import forget_indexes

        forget_indexes()
        self._installed.clear()
        self._sys_path_lines.clear()
        self.generation += 1
        self.analyses.clear()
        for buffer in self.buffers.values():
            self._install(buffer)
        return list(self.buffers)

    def settings_for(self, buffer: Buffer) -> Settings:
        where = buffer.path or os.path.join(self.root or os.getcwd(), buffer.engine_path())
        try:
            return self.settings.for_path(where)
        except ConfigError as error:  # a broken pyproject.toml: defaults until it is fixed
            self.config_error = str(error)
            return Settings(root=self.root or os.getcwd())

    def options_for(self, buffer: Buffer) -> LintOptions:
        settings = self.settings_for(buffer)
        return LintOptions(
            select=settings.selected(),
            ignore=settings.ignore,
            knowledge=settings.knowledge,
            fix_style=settings.fix_style,
            file_ignore=tuple(settings.per_file_ignored(buffer.path)) if buffer.path else (),
            project=buffer.path is not None,
            project_root=self.root,
        )

    # ------------------------------------------------------------ analysis
    def analyse(self, uri: str) -> Optional[Analysis]:
        buffer = self.buffers.get(uri)
        if buffer is None:
            return None
        data = buffer.data()
        key = (hashlib.blake2b(data, digest_size=16).hexdigest(), self.generation, self._stale.get(uri, 0))
        known = self.analyses.get(uri)
        if known is not None and known.key == key:
            return known
        analysis = self._analyse(buffer, key)
        self.analyses[uri] = analysis
        return analysis

    def _analyse(self, buffer: Buffer, key: tuple) -> Analysis:
        try:
            document = buffer.document()
        except DocumentError as error:
            return Analysis(key, None, [], None, error=error.reason)
        options = self.options_for(buffer)
        if buffer.path is not None:
            self._forget_roots_if_changed(buffer)
        try:
            result = lint_document(document, options)
        except DocumentError as error:  # a script that does not parse: no findings, keep serving
            return Analysis(key, document, [], options, error=error.reason)
        except RecursionError:
            return Analysis(key, document, [], options, error="code nested too deeply to analyse")
        return Analysis(key, document, list(result.findings), options, notes=list(result.notes))

    def _forget_roots_if_changed(self, buffer: Buffer) -> None:
        """Where the buffer's imports look depends on its sys.path lines: the index's
        cached search roots are dropped when those lines changed (only then: finding
        them again costs a parse of the statements)."""
        lines = tuple(line.strip() for line in buffer.code_text().splitlines() if "sys.path" in line)
        if self._sys_path_lines.get(buffer.uri) != lines:
            self._sys_path_lines[buffer.uri] = lines
            index_for(buffer.path, self.root)._roots.pop(buffer.path, None)

    # ------------------------------------------------------------ the project overlay
    def _install(self, buffer: Buffer) -> List[str]:
        """Put the buffer's text in the project index in place of the file on disk; returns
        the other open buffers that import it (directly or not)."""
        if buffer.path is None:
            return []
        index = index_for(buffer.path, self.root)
        if buffer.notebook:  # nothing imports a notebook; its imports are read again when asked
            index.cache.pop(("imports", buffer.path), None)
            return []
        self._installed.add(buffer.path)
        return self._replace_module(buffer.path, buffer.text.encode("utf-8"), index)

    def _replace_module(self, path: str, data: Optional[bytes], index: Optional[ProjectIndex] = None) -> List[str]:
        index = index or index_for(path, self.root)
        old = index.modules.get(path)
        if old is not None and data is not None and old.data == data:
            return []  # same content hash: nothing that depends on it changed
        if old is None and data is None:
            return []
        affected = self._dependents(index, path) | {path}
        importers_open = any(b.path in affected and b.path != path for b in self.buffers.values())
        if importers_open and old is not None and data is not None and _same_code(old, data):
            # a comment or blank space changed: every summary, and so every importer's
            # analysis, stays what it was (the byte-level evidence is read again)
            module = Module(path, old.number, data)
            module._tree = old.tree
            index.modules[path] = index.by_number[old.number] = module
            _drop_cached(index, path, set())
            return []
        if data is None:  # deleted: the next lookup finds nothing
            index.modules.pop(path, None)
            if old is not None:
                index.by_number[old.number] = None
            index._stat.pop(path, None)
        elif old is not None:
            module = Module(path, old.number, data)
            index.modules[path] = module
            index.by_number[old.number] = module
        else:
            module = Module(path, len(index.by_number), data)
            index.modules[path] = module
            index.by_number.append(module)
        _drop_cached(index, path, affected)
        uris = []
        for uri, buffer in self.buffers.items():
            if buffer.path in affected and buffer.path != path:
                self._stale[uri] = self._stale.get(uri, 0) + 1
                uris.append(uri)
        return uris

    def _dependents(self, index: ProjectIndex, path: str) -> Set[str]:
        """Every module and open buffer that imports `path`, directly or through others."""
        candidates = set(index.modules) | {b.path for b in self.buffers.values() if b.path is not None}
        for buffer in self.buffers.values():  # an open notebook's imports come from its cells
            if buffer.notebook and buffer.path is not None and ("imports", buffer.path) not in index.cache:
                index.imports_of(buffer.path, buffer.code_text())
        importers: Dict[str, Set[str]] = {}
        for candidate in list(candidates):
            if not (candidate.endswith(".py") or candidate.endswith(".ipynb")):
                continue
            for found in index.imports_of(candidate):
                for target in index.files_of(found):
                    importers.setdefault(os.path.abspath(target), set()).add(candidate)
        seen: Set[str] = set()
        todo = deque([path])
        while todo:
            current = todo.popleft()
            for importer in importers.get(current, ()):
                if importer not in seen and importer != path:
                    seen.add(importer)
                    todo.append(importer)
        return seen


def _same_code(old: Module, data: bytes) -> bool:
    """The new text compiles to the same syntax tree, positions included."""
    import ast

    before = old.tree
    if before is None:
        return False
    after = Module(old.path, old.number, data).tree
    return after is not None and ast.dump(before, include_attributes=True) == ast.dump(after, include_attributes=True)


def _drop_cached(index: ProjectIndex, path: str, affected: Set[str]) -> None:
    for key in list(index.cache):
        if not (isinstance(key, tuple) and len(key) >= 2):
            continue
        if (key[0] in _OWN_KEYS and key[1] == path) or (key[0] in _DEPENDENT_KEYS and key[1] in affected):
            del index.cache[key]
    index._roots.pop(path, None)


def _unique(items: List[str]) -> List[str]:
    return list(dict.fromkeys(items))
