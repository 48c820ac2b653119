"""A real client over pipes: `bf16lint server` runs as a subprocess, pytest-lsp drives it."""
from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

try:
    import pytest_lsp
    from lsprotocol import types
    from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
except ImportError:  # no server extra: the test modules skip themselves (importorskip)
    pytest_lsp = None

REPO = Path(__file__).resolve().parents[2]
SPLIT = REPO / "fixtures" / "projects" / "split"
TIMEOUT = 45.0  # a ceiling for a loaded CI machine; a passing wait returns as soon as it matches


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The data/model/train split, in a folder of its own (its pyproject.toml is the root)."""
    root = tmp_path / "proj"
    shutil.copytree(SPLIT, root)
    (root / "pyproject.toml").write_text('[project]\nname = "proj"\n')
    return root


async def _client(lsp_client: LanguageClient, project: Path):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):  # the server asks to watch *.py and pyproject.toml, as VS Code allows
        lsp_client.registrations = list(params.registrations)

    capabilities = client_capabilities("visual-studio-code")
    capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities())
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities,
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="proj")]))
    yield
    await lsp_client.shutdown_session()


if pytest_lsp is not None:
    client = pytest_lsp.fixture(
        config=ClientServerConfig(server_command=[sys.executable, "-m", "bf16lint", "server"]), name="client")(_client)


async def diagnostics_until(client: LanguageClient, uri: str, predicate, timeout: float = TIMEOUT):
    """The diagnostics last published for `uri` once they satisfy `predicate`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = client.diagnostics.get(uri)
        if found is not None and predicate(found):
            return list(found)
        if loop.time() > deadline:
            raise AssertionError(f"diagnostics for {uri} never matched; last: {found!r}")
        await asyncio.sleep(0.05)


def codes(diagnostics) -> list:
    return sorted(d.code for d in diagnostics)


def apply_edits(text: str, edits) -> str:
    """Apply TextEdits (line/character positions; the tests' text is ASCII) to a text."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position) -> int:
        if position.line >= len(lines):
            return len(text)
        return starts[position.line] + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text
