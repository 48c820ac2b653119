"""Fixtures for the ecosystem tests (pre-commit, configuration, suppression, output,
flake8); the shared sources and helpers live in eco_helpers.py."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bf16lint.cli import main  # noqa: E402
from eco_helpers import Run  # noqa: E402


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run bf16lint's main() in-process: cli("file.py", "--output-format", "json")."""
    monkeypatch.delenv("NO_COLOR", raising=False)

    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse
            code = exit_.code if isinstance(exit_.code, int) else 2
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project directory that is also the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
