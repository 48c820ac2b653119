"""bf16lint server through a real client over stdin/stdout (pytest-lsp)."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

pytest.importorskip("pytest_lsp")  # the server and test extras

from lsprotocol import types  # noqa: E402

from .conftest import apply_edits, codes, diagnostics_until  # noqa: E402

pytestmark = pytest.mark.asyncio

SCRIPT_WITH_CAST = """import timm
import torch

model = timm.create_model("vit_base_patch16_224", pretrained=True).cuda()
images = torch.rand(8, 3, 224, 224).cuda()
images = images.to(torch.bfloat16)
logits = model(images)
"""


def open_script(client, path: Path, text=None, version=1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=version, text=path.read_text() if text is None else text)))
    return uri


def change_script(client, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def actions_at(client, uri: str, where: types.Range, only=None):
    context = types.CodeActionContext(diagnostics=[], only=only)
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=where, context=context)) or []


async def test_script_diagnostics_hover_quick_fix_and_fix_all(client, project: Path):
    train = project / "train.py"
    uri = open_script(client, train)
    found = await diagnostics_until(client, uri, lambda d: len(d) == 2)
    assert codes(found) == ["BFD001", "BFD002"]
    bfd001 = next(d for d in found if d.code == "BFD001")
    assert bfd001.severity == types.DiagnosticSeverity.Error
    assert next(d for d in found if d.code == "BFD002").severity == types.DiagnosticSeverity.Warning
    assert bfd001.source == "bf16lint"
    assert bfd001.code_description.href.endswith("#bfd001")
    line = train.read_text().splitlines()[bfd001.range.start.line]
    assert line[bfd001.range.start.character:bfd001.range.end.character] == "model(images)"

    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=bfd001.range.start))
    assert "data.py line 10" in hover.contents.value  # where the tensor became bf16
    assert "DinoClassifier" in hover.contents.value and "dinov2_vits14" in hover.contents.value  # the backbone

    offered = await actions_at(client, uri, bfd001.range)
    lazy = [a for a in offered if a.kind == "source.fixAll.bf16lint"]
    assert len(lazy) == 1 and lazy[0].edit is None  # beside the quick fix; its edit comes on resolve
    resolved = await client.code_action_resolve_async(lazy[0])
    assert apply_edits(train.read_text(), resolved.edit.changes[uri]).count("images = images.float()") == 2
    quick = [a for a in offered if a.kind == types.CodeActionKind.QuickFix]
    preferred = [a for a in quick if a.is_preferred]
    assert len(preferred) == 1 and preferred[0].diagnostics[0].code == "BFD001"
    text = apply_edits(train.read_text(), preferred[0].edit.changes[uri])
    change_script(client, uri, text, 2)
    remaining = await diagnostics_until(client, uri, lambda d: len(d) == 1)
    assert codes(remaining) == ["BFD002"]

    fix_all = await actions_at(client, uri, remaining[0].range, only=["source.fixAll.bf16lint"])
    assert [a.kind for a in fix_all] == ["source.fixAll.bf16lint"]
    change_script(client, uri, apply_edits(text, fix_all[0].edit.changes[uri]), 3)
    await diagnostics_until(client, uri, lambda d: len(d) == 0)


async def test_unsafe_fix_is_offered_labelled_and_not_preferred(client, project: Path):
    path = project / "cast.py"
    path.write_text(SCRIPT_WITH_CAST)
    uri = open_script(client, path)
    found = await diagnostics_until(client, uri, lambda d: len(d) == 1)
    actions = await actions_at(client, uri, found[0].range)
    unsafe = [a for a in actions if "unsafe" in a.title]
    assert unsafe and not any(a.is_preferred for a in unsafe)
    fixed = apply_edits(SCRIPT_WITH_CAST, unsafe[0].edit.changes[uri])
    assert "torch.float32" in fixed and "bfloat16" not in fixed
    change_script(client, uri, fixed, 2)
    await diagnostics_until(client, uri, lambda d: len(d) == 0)


def notebook_cells(path: Path, notebook_uri: str):
    cells = json.loads(path.read_text())["cells"]
    out = []
    for number, cell in enumerate(cells):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        out.append((f"vscode-notebook-cell:{notebook_uri}#C{number}", cell["cell_type"] == "code", source))
    return out


async def test_notebook_diagnostic_lands_in_its_cell_and_the_fix_clears_it(client, project: Path):
    path = project / "notebooks" / "explore.ipynb"
    nb_uri = path.as_uri()
    cells = notebook_cells(path, nb_uri)
    kind = {True: types.NotebookCellKind.Code, False: types.NotebookCellKind.Markup}
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(uri=nb_uri, notebook_type="jupyter-notebook", version=1,
                                                 cells=[types.NotebookCell(kind=kind[code], document=uri)
                                                        for uri, code, _ in cells]),
        cell_text_documents=[types.TextDocumentItem(uri=uri, language_id="python" if code else "markdown",
                                                    version=1, text=text) for uri, code, text in cells]))
    last_uri, _, last_text = cells[3]
    found = await diagnostics_until(client, last_uri, lambda d: len(d) == 1)
    assert found[0].code == "BFD001"
    assert found[0].range.start == types.Position(line=3, character=13)  # cell-relative: `model(images)`
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=last_uri), position=types.Position(line=3, character=15)))
    assert "data.py line 10" in hover.contents.value and "DinoClassifier" in hover.contents.value
    for uri, _, _ in cells[:3]:
        assert list(client.diagnostics.get(uri, [])) == []

    actions = await actions_at(client, last_uri, found[0].range)
    preferred = next(a for a in actions if a.is_preferred)
    assert list(preferred.edit.changes) == [last_uri]  # the edit lands in the cell's own document
    new_text = apply_edits(last_text, preferred.edit.changes[last_uri])
    assert ".float()" in new_text
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb_uri, version=2),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=last_uri, version=2),
                changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)])]))))
    await diagnostics_until(client, last_uri, lambda d: len(d) == 0)


async def test_editing_the_dataset_module_reaches_the_loop_module(client, project: Path):
    data = project / "data.py"
    on_disk = data.read_text()
    float32_data = on_disk.replace("images = images.to(torch.bfloat16)", "images = images.float()")
    data.write_text(float32_data)
    train_uri = open_script(client, project / "train.py")
    await diagnostics_until(client, train_uri, lambda d: len(d) == 0)

    data_uri = open_script(client, data)
    # an incremental edit, as editors send them; unsaved: the buffer wins over the file on disk
    row = next(i for i, line in enumerate(float32_data.splitlines()) if "images.float()" in line)
    column = float32_data.splitlines()[row].index("images.float()")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=data_uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=row, character=column),
                              end=types.Position(line=row, character=column + len("images.float()"))),
            text="images.to(torch.bfloat16)")]))
    found = await diagnostics_until(client, train_uri, lambda d: len(d) == 2)
    assert codes(found) == ["BFD001", "BFD002"]
    assert "data.py line 10" in found[0].message

    change_script(client, data_uri, float32_data, 3)
    await diagnostics_until(client, train_uri, lambda d: len(d) == 0)


async def test_pyproject_change_reloads_the_configuration(client, project: Path):
    uri = open_script(client, project / "train.py")
    await diagnostics_until(client, uri, lambda d: len(d) == 2)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.bf16lint]\nignore = ["BFD002"]\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]))
    found = await diagnostics_until(client, uri, lambda d: len(d) == 1)
    assert codes(found) == ["BFD001"]

    pyproject.write_text('[tool.bf16lint]\nselect = ["NOPE1"]\n')  # broken: defaults apply, the user is told
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]))
    await diagnostics_until(client, uri, lambda d: len(d) == 2)
    for _ in range(200):
        if any("NOPE1" in m.message for m in client.messages):
            break
        await asyncio.sleep(0.05)
    assert any("NOPE1" in m.message for m in client.messages)


async def test_a_file_that_does_not_parse_never_stops_the_server(client, project: Path):
    broken = project / "broken.py"
    broken.write_text("import torch, timm\nmodel = timm.create_model('vit')\nx = torch.bfloat16(\n")
    broken_uri = open_script(client, broken)
    # the one diagnostic says why: the parse error where the parser puts it (the CLI's
    # "could not be checked"), not silence that looks like "no bug here"
    [syntax] = await diagnostics_until(client, broken_uri, lambda d: len(d) == 1)
    assert (syntax.code, syntax.severity, syntax.source) == ("syntax-error", types.DiagnosticSeverity.Error, "bf16lint")
    assert syntax.message == "syntax error at line 3: '(' was never closed (file not analysed)"
    column = "x = torch.bfloat16(".index("(")  # the parser points at the `(` left open
    assert syntax.range == types.Range(start=types.Position(line=2, character=column),
                                       end=types.Position(line=2, character=column + 1))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=broken_uri), position=types.Position(line=2, character=4)))
    assert hover is None
    everything = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=2, character=0))
    assert await actions_at(client, broken_uri, everything) == []
    # still serving: a buggy script opened afterwards gets its diagnostics
    cast = project / "cast.py"
    cast.write_text(SCRIPT_WITH_CAST)
    cast_uri = open_script(client, cast)
    assert codes(await diagnostics_until(client, cast_uri, lambda d: len(d) == 1)) == ["BFD001"]
    # the broken file typed into shape is analysed like any other
    change_script(client, broken_uri, SCRIPT_WITH_CAST, 2)
    assert codes(await diagnostics_until(client, broken_uri, lambda d: codes(d) == ["BFD001"])) == ["BFD001"]


async def test_a_notebook_cell_that_does_not_parse_is_marked_in_its_cell_and_the_others_are_analysed(
        client, project: Path):
    nb_uri = (project / "notebooks" / "typing.ipynb").as_uri()
    texts = ["import torch, timm\nmodel = timm.create_model('vit_base_patch16_224', pretrained=True).cuda()\n",
             "# Normalisation",  # a markdown cell: cell numbers count it, as in the CLI
             "stats = {'mean': (0.5, 0.5, 0.5),\n         'std': (0.5,\n",  # half typed
             "images = torch.rand(8, 3, 224, 224).cuda().to(torch.bfloat16)\nlogits = model(images)\n"]
    uris = [f"vscode-notebook-cell:{nb_uri}#C{i}" for i in range(len(texts))]
    kinds = [types.NotebookCellKind.Markup if i == 1 else types.NotebookCellKind.Code for i in range(len(texts))]
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(uri=nb_uri, notebook_type="jupyter-notebook", version=1, cells=[
            types.NotebookCell(kind=kind, document=uri) for kind, uri in zip(kinds, uris)]),
        cell_text_documents=[types.TextDocumentItem(uri=uri, version=1, text=text,
                                                    language_id="markdown" if i == 1 else "python")
                             for i, (uri, text) in enumerate(zip(uris, texts))]))
    # the cell after the broken one is still analysed, as the CLI does
    assert codes(await diagnostics_until(client, uris[3], lambda d: len(d) == 1)) == ["BFD001"]
    [syntax] = await diagnostics_until(client, uris[2], lambda d: len(d) == 1)
    assert syntax.code == "syntax-error" and syntax.severity == types.DiagnosticSeverity.Error
    assert syntax.message == "syntax error at line 2: '(' was never closed (cell not analysed; the other cells are)"
    open_paren = texts[2].splitlines()[1].index("(")  # the innermost bracket left open, cell-relative
    assert (syntax.range.start.line, syntax.range.start.character) == (1, open_paren)
    for uri in uris[:2]:
        assert list(client.diagnostics.get(uri, [])) == []

    finished = texts[2] + "                 0.5, 0.5)}\n"  # finished typing: the mark clears, the finding stays
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb_uri, version=2),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=uris[2], version=2),
                changes=[types.TextDocumentContentChangeWholeDocument(text=finished)])]))))
    await diagnostics_until(client, uris[2], lambda d: len(d) == 0)
    assert codes(client.diagnostics[uris[3]]) == ["BFD001"]


async def test_jupyterlab_lsp_virtual_document_is_linted_from_the_notebooks_folder(client, project: Path):
    """jupyterlab-lsp sends a notebook as one Python document under .virtual_documents/
    (magics rewritten as get_ipython() calls); its sys.path('..') starts at the notebook's folder."""
    cells = notebook_cells(project / "notebooks" / "explore.ipynb", "unused")
    code = [text for _, is_code, text in cells if is_code]
    code[0] = code[0].replace("%load_ext autoreload", "get_ipython().run_line_magic('load_ext', 'autoreload')")
    code[0] = code[0].replace("%autoreload 2", "get_ipython().run_line_magic('autoreload', '2')")
    virtual = project / ".virtual_documents" / "notebooks" / "explore.ipynb"
    uri = open_script(client, virtual, text="\n\n\n".join(code) + "\n")
    found = await diagnostics_until(client, uri, lambda d: len(d) == 1)
    assert found[0].code == "BFD001" and "data.py line 10" in found[0].message
