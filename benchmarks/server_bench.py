"""Re-analysis after an edit in a 30-cell notebook, through the language server's handler.

A notebook that puts its project on sys.path and imports the dataset and the model
(the split fixture, copied to a temporary folder) is opened in the server's workspace;
then one cell is edited N times (a comment changes, so the content hash does) and each
notebookDocument/didChange handler call is timed from the message to the published
diagnostics (analysis, cell mapping, diagnostics; the JSON-RPC transport is left out).

    python benchmarks/server_bench.py [--edits 60] [--cells 30]

Prints one markdown row for the README's Benchmarks section.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "src"))

from lsprotocol import types  # noqa: E402
from pygls.workspace import Workspace  # noqa: E402

from bf16lint.server import app  # noqa: E402

HEADER_CELL = (
    "import sys\nsys.path.append('..')\n\nimport torch\nfrom data import make_loader\nfrom models import DinoClassifier"
)
KIND = {True: types.NotebookCellKind.Code, False: types.NotebookCellKind.Markup}
BODY_CELLS = [
    "model = DinoClassifier().to('cuda').eval()\nloader = make_loader(16)",
    "def describe(t):\n    return tuple(t.shape), t.dtype",
    "stats = []\nfor step in range(3):\n    stats.append(step * 2)",
    "batch = next(iter(loader))\nimages = batch['image'].to('cuda')\n"
    "with torch.no_grad():\n    logits = model(images)\nlogits.shape",
]


def cells(count: int):
    out = [("markdown", "# Exploring the cached dataset")]
    out.append(("python", HEADER_CELL))
    while len(out) < count:
        out.append(("python", BODY_CELLS[(len(out) - 2) % len(BODY_CELLS)]))
    return out[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--cells", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        shutil.copytree(HERE / "fixtures" / "projects" / "split", root)
        (root / "pyproject.toml").write_text('[project]\nname = "proj"\n')
        nb_uri = (root / "notebooks" / "bench.ipynb").as_uri()
        ls = app.server
        published = []
        ls.text_document_publish_diagnostics = published.append  # collect instead of writing to stdout
        folders = [types.WorkspaceFolder(uri=root.as_uri(), name="proj")]
        ls.protocol._workspace = Workspace(root.as_uri(), types.TextDocumentSyncKind.Incremental, folders)
        app.initialize(ls, types.InitializeParams(capabilities=types.ClientCapabilities(), workspace_folders=folders))
        layout = cells(args.cells)
        uris = [f"vscode-notebook-cell:{nb_uri}#C{i}" for i in range(len(layout))]
        opened = types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(uri=nb_uri, notebook_type="jupyter-notebook", version=1, cells=[
                types.NotebookCell(kind=KIND[lang == "python"], document=uri) for uri, (lang, _) in zip(uris, layout)]),
            cell_text_documents=[types.TextDocumentItem(uri=uri, language_id=lang, version=1, text=text)
                                 for uri, (lang, text) in zip(uris, layout)])
        ls.workspace.put_notebook_document(opened)
        app.notebook_did_open(ls, opened)
        findings = sum(len(p.diagnostics) for p in published)
        edited = len(layout) // 2
        timings = []
        for version in range(2, args.edits + 2):
            text = layout[edited][1] + f"\n# edit {version}"
            change = types.DidChangeNotebookDocumentParams(
                notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb_uri, version=version),
                change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
                    types.NotebookDocumentCellContentChanges(
                        document=types.VersionedTextDocumentIdentifier(uri=uris[edited], version=version),
                        changes=[types.TextDocumentContentChangeWholeDocument(text=text)])])))
            published.clear()
            start = time.perf_counter()
            ls.workspace.update_notebook_document(change)
            app.notebook_did_change(ls, change)
            timings.append(time.perf_counter() - start)
        after = sum(len(p.diagnostics) for p in published)
    median = statistics.median(timings) * 1000
    p90 = sorted(timings)[int(0.9 * (len(timings) - 1))] * 1000
    print(f"# {args.cells}-cell notebook importing data.py and models/ via sys.path: {findings} diagnostics at open, "
          f"{after} after each edit; {args.edits} edits; Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print("| benchmark | median | p90 | target |")
    print("|---|---|---|---|")
    print(f"| `bf16lint server`: re-analysis after an edit in a {args.cells}-cell notebook "
          f"(`python benchmarks/server_bench.py`) | {median:.1f} ms | {p90:.1f} ms | < 50 ms median |")
    return 0 if findings and after == findings else 1


if __name__ == "__main__":
    sys.exit(main())
