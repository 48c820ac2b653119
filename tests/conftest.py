"""How the suite spreads over CPUs under `python -m pytest -q -n auto --dist loadfile` (the
README's command; pytest-xdist is in the `test` extra). Nothing here changes what a test
checks, and a plain `python -m pytest` ignores it.

- A file is one unit of work, so a module-scoped fixture (an oracle labelling run, the
  benchmark corpus) is built once, on one worker.
- Every file that imports the oracle is one unit together: the oracle keeps one pool of
  torch-importing worker processes per pytest process (oracle/runner.py), so spreading those
  files would import torch and hold its memory once more per pytest worker.
- One CPU gets no worker process at all (the run stays in this process, as without -n);
  more CPUs get MAX_WORKERS workers at most: each worker holds its own imports (torch for
  the smoke tests), and the oracle group is the longest unit anyway.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

MAX_WORKERS = 2  # measured: 2 workers peak at ~1.35 GB PSS for the whole run (issue 14: under 2 GB)
_IMPORTS_ORACLE = re.compile(r"^\s*(from|import)\s+oracle\b", re.M)


@pytest.hookimpl(optionalhook=True)  # optional: the hooks are pytest-xdist's
def pytest_xdist_auto_num_workers(config):
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 0 if cpus < 2 else min(cpus, MAX_WORKERS)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    root = Path(str(config.rootpath))
    imports_oracle = {}

    class OracleFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path not in imports_oracle:
                try:
                    text = (root / path).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    text = ""
                imports_oracle[path] = bool(_IMPORTS_ORACLE.search(text))
            return "oracle" if imports_oracle[path] else path

    return OracleFilesTogether(config, log)
