#!/usr/bin/env python3
"""Run flake8 with a chosen set of installed plugins, to time the BFD plugin's cost honestly.

flake8 loads and runs *every* installed plugin whatever ``--select`` says, so
"flake8 --select BFD" with bf16lint installed still runs pyflakes and pycodestyle, and
"flake8 without the plugin" cannot be had by a flag. This wrapper runs the installed
flake8 unchanged except for plugin discovery: it keeps flake8's own plugins (pyflakes,
pycodestyle, via the ``flake8`` distribution) and mccabe, keeps bf16lint only with
``--with-bf16lint``, and drops any other third-party plugin (a TorchFix or other plugin
installed in the same environment would otherwise weigh on both sides of the comparison).
Both sides of the benchmark go through this same wrapper, so its own cost (one import and
one function patch, well under a millisecond) cancels out.

    python benchmarks/flake8_plugins.py --with-bf16lint -- --select BFD DIR
    python benchmarks/flake8_plugins.py --without-bf16lint -- --select BFD DIR
    python benchmarks/flake8_plugins.py --without-bf16lint -- --version   # lists what is loaded

The patch is inherited by flake8's worker processes (they are forked from this one on
Linux; on spawn platforms the plugins are already loaded and pickled by the parent).
"""
from __future__ import annotations

import sys

STOCK = {"flake8", "pyflakes", "pycodestyle", "mccabe"}


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def main(argv: list) -> int:
    if not argv or argv[0] not in ("--with-bf16lint", "--without-bf16lint"):
        print(__doc__, file=sys.stderr)
        return 2
    keep = set(STOCK)
    if argv[0] == "--with-bf16lint":
        keep.add("bf16lint")
    rest = argv[1:]
    if rest and rest[0] == "--":
        rest = rest[1:]

    from flake8.plugins import finder

    original = finder._find_importlib_plugins

    def filtered():
        for plugin in original():
            if _norm(plugin.package) in keep:
                yield plugin

    finder._find_importlib_plugins = filtered
    from flake8.main.cli import main as flake8_main

    return flake8_main(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
