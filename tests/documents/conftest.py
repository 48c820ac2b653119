"""Shared fixtures for the documents tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helper modules beside the tests (edge_notebooks, notebook_diff), whatever the import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import edge_notebooks  # noqa: E402


@pytest.fixture
def edge_dir() -> Path:
    return edge_notebooks.EDGE_DIR
