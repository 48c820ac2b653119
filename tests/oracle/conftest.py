"""The oracle is a plain package at the repository root (not installed): put the root on
sys.path. Nothing here puts oracle/standins on it: only the oracle's workers do."""
from __future__ import annotations

import pathlib
import sys

_ROOT = str(pathlib.Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import importlib.util  # noqa: E402
import textwrap  # noqa: E402

import pytest  # noqa: E402

# The oracle's workers import torch; this process never needs to (it would cost seconds).
needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="the oracle needs torch")


def pytest_collection_modifyitems(items):
    here = pathlib.Path(__file__).parent
    for item in items:
        path = pathlib.Path(str(item.fspath))
        if path.parent == here and path.name.startswith(("test_oracle_", "test_runtime_rows")):
            item.add_marker(needs_torch)


def _program(source: str, **kwargs):
    from oracle import Program

    return Program({"main.py": textwrap.dedent(source)}, "main.py", **kwargs)


@pytest.fixture
def oracle_run():
    """oracle_run(source_or_program, autocast=True, timeout=30) -> the program's Verdict."""
    from oracle import Program, run_programs

    def run(program, autocast: bool = True, timeout: float = 30.0, **kwargs):
        if not isinstance(program, Program):
            program = _program(program, **kwargs)
        return run_programs([program], timeout=timeout, autocast=autocast)[0]

    return run
