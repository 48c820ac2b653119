"""`bf16lint server`: a language server (LSP 3.17 over stdio) for scripts and notebooks.

Needs the optional extra: ``pip install "bf16lint[server]"`` (pygls, lsprotocol).
buffers.py turns open documents into bf16lint documents, session.py keeps the project and
the analyses, convert.py and actions.py speak the protocol's types, app.py wires it up."""
from __future__ import annotations

import sys


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print("usage: bf16lint server\n\nRun the bf16lint language server over stdio (LSP 3.17).")
        return 0
    if args and args[0] not in ("--stdio",):
        print(f"bf16lint server: unknown argument {args[0]!r} (the server speaks over stdio)", file=sys.stderr)
        return 2
    try:
        from .app import main as run
    except ImportError as error:
        print(f"bf16lint server needs the server extra (pip install 'bf16lint[server]'): {error}", file=sys.stderr)
        return 2
    return run()
