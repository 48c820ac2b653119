"""`bf16lint server`: the language server over stdio (pygls), wiring protocol messages to
the Session. Every handler is guarded: a file that does not parse, or a bug of ours on
one document, costs that document its diagnostics, never the server."""
from __future__ import annotations

import logging
from typing import Dict, List, Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from . import actions
from .buffers import Buffer, Cell, path_of
from .convert import diagnostics, finding_place, hover_text, syntax_diagnostics
from .session import CONFIG_FILES, Session

log = logging.getLogger(__name__)

NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithCells(
            notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")]
        )
    ],
)


class Bf16LintServer(LanguageServer):
    def __init__(self):
        super().__init__("bf16lint", __version__, notebook_document_sync=NOTEBOOK_SYNC,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.session = Session()
        self.published: dict = {}  # notebook uri -> cell uris it published to
        self.shown_config_error: Optional[str] = None
        self.last_published: Dict[str, list] = {}  # document uri -> the diagnostics it shows

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or "utf-16")

    # ------------------------------------------------------------ buffers from the workspace
    def script_buffer(self, uri: str) -> Optional[Buffer]:
        document = self.workspace.get_text_document(uri)
        if document is None:
            return None
        return Buffer(uri, path_of(uri), False, [Cell(uri, True, document.source, document.language_id or "python")])

    def notebook_buffer(self, uri: str) -> Optional[Buffer]:
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is None:
            return None
        cells: List[Cell] = []
        for cell in notebook.cells:
            document = self.workspace.get_text_document(cell.document)
            code = cell.kind == types.NotebookCellKind.Code
            metadata = dict(cell.metadata) if isinstance(cell.metadata, dict) else {}
            cells.append(Cell(cell.document, code, document.source if document else "",
                              (document.language_id if document else None) or "python", metadata))
        return Buffer(uri, path_of(uri), True, cells)

    def change(self, buffer: Optional[Buffer]) -> None:
        """A buffer opened or edited: analyse it and the open buffers that import it."""
        if buffer is None:
            return
        try:
            uris = self.session.update(buffer)
        except Exception:  # a bug of ours in the project overlay: analyse this buffer alone
            log.exception("bf16lint: updating %s failed", buffer.uri)
            uris = [buffer.uri]
        self.refresh(uris)

    # ------------------------------------------------------------ publishing
    def refresh(self, uris: List[str]) -> None:
        for uri in dict.fromkeys(uris):
            try:
                self.publish(uri)
            except Exception:  # one document's problem never stops the server
                log.exception("bf16lint: analysing %s failed", uri)
        self.report_config_error()

    def report_config_error(self) -> None:
        """A broken [tool.bf16lint] is shown once (the defaults apply until it is fixed)."""
        error = self.session.config_error
        if error and error != self.shown_config_error:
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"bf16lint: {error}; using the default settings"))
        self.shown_config_error = error

    def publish(self, uri: str) -> None:
        buffer = self.session.buffers.get(uri)
        if buffer is None:
            return
        analysis = self.session.analyse(uri)
        per_document = diagnostics(buffer, analysis.findings if analysis else [], self.encoding)
        if analysis is not None and (analysis.error or analysis.notes):
            broken = syntax_diagnostics(buffer, analysis.document, analysis.error, analysis.notes, self.encoding)
            for target, items in broken.items():
                per_document[target] = items + per_document.get(target, [])
        if buffer.notebook:  # cells removed since the last publish get an empty list
            for old in self.published.get(uri, ()):
                per_document.setdefault(old, [])
            self.published[uri] = [c.uri for c in buffer.cells]
        for target, items in per_document.items():
            if self.last_published.get(target) == items:
                continue  # the client still shows these: a 30-cell notebook costs one message, not 30
            self.last_published[target] = items
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=target, diagnostics=items))

    def clear(self, uris: List[str]) -> None:
        for uri in uris:
            self.last_published.pop(uri, None)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


server = Bf16LintServer()


def _python(uri: str, language: Optional[str]) -> bool:
    return uri.endswith((".py", ".pyi")) or language == "python"


@server.feature(types.INITIALIZE)
def initialize(ls: Bf16LintServer, params: types.InitializeParams):
    root = None
    if params.workspace_folders:
        root = path_of(params.workspace_folders[0].uri)
    elif params.root_uri:
        root = path_of(params.root_uri)
    elif params.root_path:
        root = params.root_path
    ls.session = Session(root)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: Bf16LintServer, params: types.DidOpenTextDocumentParams):
    document = params.text_document
    if ls.workspace.get_notebook_document(cell_uri=document.uri) is not None:
        return  # a cell: the notebook's messages carry it
    if not _python(document.uri, document.language_id):
        return
    _reanalyse_script(ls, document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: Bf16LintServer, params: types.DidChangeTextDocumentParams):
    if params.text_document.uri in ls.session.buffers:
        _reanalyse_script(ls, params.text_document.uri)


def _reanalyse_script(ls: Bf16LintServer, uri: str) -> None:
    ls.change(ls.script_buffer(uri))


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: Bf16LintServer, params: types.DidSaveTextDocumentParams):
    path = path_of(params.text_document.uri)
    if path is not None and path.endswith(CONFIG_FILES):
        ls.refresh(ls.session.files_changed([path]))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: Bf16LintServer, params: types.DidCloseTextDocumentParams):
    uri = params.text_document.uri
    if uri in ls.session.buffers:
        others = ls.session.close(uri)
        ls.clear([uri])
        ls.refresh(others)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
def notebook_did_open(ls: Bf16LintServer, params: types.DidOpenNotebookDocumentParams):
    _reanalyse_notebook(ls, params.notebook_document.uri)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
def notebook_did_change(ls: Bf16LintServer, params: types.DidChangeNotebookDocumentParams):
    _reanalyse_notebook(ls, params.notebook_document.uri)


def _reanalyse_notebook(ls: Bf16LintServer, uri: str) -> None:
    ls.change(ls.notebook_buffer(uri))


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
def notebook_did_close(ls: Bf16LintServer, params: types.DidCloseNotebookDocumentParams):
    uri = params.notebook_document.uri
    ls.session.close(uri)
    ls.clear(ls.published.pop(uri, []) + [c.uri for c in params.cell_text_documents])


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def watched_files(ls: Bf16LintServer, params: types.DidChangeWatchedFilesParams):
    paths = [p for p in (path_of(change.uri) for change in params.changes) if p is not None]
    created = any(change.type != types.FileChangeType.Changed for change in params.changes)
    ls.refresh(ls.session.files_changed(paths, created_or_deleted=created))


@server.feature(types.INITIALIZED)
def initialized(ls: Bf16LintServer, params: types.InitializedParams):
    """Ask the client to tell us about module and configuration changes on disk."""
    capabilities = ls.client_capabilities.workspace
    watch = capabilities and capabilities.did_change_watched_files
    if not (watch and watch.dynamic_registration):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern="**/*.py"),
                  types.FileSystemWatcher(glob_pattern="**/pyproject.toml")])
    ls.client_register_capability(types.RegistrationParams(registrations=[
        types.Registration(id="bf16lint-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                           register_options=options)]))


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: Bf16LintServer, params: types.HoverParams) -> Optional[types.Hover]:
    uri = params.text_document.uri
    buffer, analysis = _analysed(ls, uri)
    if analysis is None:
        return None
    here = (params.position.line, params.position.character)
    for finding in analysis.findings:
        place = finding_place(buffer, finding, ls.encoding)
        if place is None or place[0] != uri:
            continue
        span = place[1]
        if (span.start.line, span.start.character) <= here <= (span.end.line, span.end.character):
            return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover_text(finding)),
                               range=span)
    return None


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=actions.KINDS, resolve_provider=True))
def code_action(ls: Bf16LintServer, params: types.CodeActionParams) -> Optional[List[types.CodeAction]]:
    uri = params.text_document.uri
    buffer, analysis = _analysed(ls, uri)
    if analysis is None:
        return None
    only = [str(getattr(k, "value", k)) for k in params.context.only] if params.context.only else None
    return actions.code_actions(buffer, analysis, uri, params.range, only, ls.encoding, _resolves_edits(ls)) or None


def _analysed(ls: Bf16LintServer, uri: str):
    """The open buffer holding `uri` (a script, or the notebook of a cell) and its analysis;
    (None, None) when it is not open or cannot be analysed."""
    buffer = ls.session.buffer_of(uri)
    analysis = ls.session.analyse(buffer.uri) if buffer is not None else None
    return buffer, analysis


def _resolves_edits(ls: Bf16LintServer) -> bool:
    document = ls.client_capabilities.text_document
    support = document and document.code_action and document.code_action.resolve_support
    return bool(support and "edit" in (support.properties or []))


@server.feature(types.CODE_ACTION_RESOLVE)
def resolve_code_action(ls: Bf16LintServer, action: types.CodeAction) -> types.CodeAction:
    """The fix-all offered beside a quick fix gets its edit once it is chosen."""
    data = action.data if isinstance(action.data, dict) else {}
    buffer = ls.session.buffers.get(data.get("uri", ""))
    analysis = ls.session.analyse(buffer.uri) if buffer is not None else None
    if action.edit is None and buffer is not None and analysis is not None:
        resolved = actions.fix_all_action(buffer, analysis, str(action.kind or actions.FIX_ALL), ls.encoding)
        if resolved is not None:
            action.edit = resolved.edit
    return action


def main() -> int:
    server.start_io()
    return 0
