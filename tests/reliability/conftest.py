"""Fixtures for the reliability tests; shared material lives in reliability_helpers.py."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reliability_helpers as helpers  # noqa: E402


@pytest.fixture
def cli(capsys):
    """Run bf16lint.cli.main in-process: cli("--fix", path) -> Run(code, out, err)."""

    def run(*args) -> helpers.Run:
        return helpers.cli_main([str(a) for a in args], capsys)

    return run


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """An empty project directory that is also the working directory (paths in messages
    are then the short relative ones given on the command line)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
